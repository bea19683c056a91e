package org.storagegateway.benchmarks.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud benchmark in quick mode: that everything it times succeeds and the report is written, never a timing. */
class CloudBenchmarkTest {
    @TempDir
    Path directory;

    @Test
    void aQuickRunUploadsReadsBackAndReports() throws Exception {
        CloudBenchmark.Result result = CloudBenchmark.run(directory.resolve("work"), 16, 1, 4);
        assertEquals(1, result.rounds().size());
        assertTrue(result.uploader() > 0 && result.sdk() > 0 && result.sdkPuts() > 0 && result.coldRead() > 0
                && result.warmRead() > 0,
                result.toString());
        Path report = directory.resolve("out/RESULTS-cloud.md");
        CloudBenchmark.write(report, result, "test");
        assertTrue(Files.readString(report).contains("ratio uploader / SDK multipart"));
    }
}
