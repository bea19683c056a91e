package org.storagegateway.benchmarks.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiStatus;

/** Every command the dispatch benchmark times succeeds and moves what it should: no error path is being measured. */
class ScsiTargetBenchmarkTest {
    private final ScsiTargetBenchmark benchmark = new ScsiTargetBenchmark();

    @BeforeEach
    void setUp() {
        benchmark.setUp();
    }

    @Test
    void testUnitReadyIsGood() {
        assertGood(benchmark::testUnitReady, -1);
    }

    @Test
    void inquiryAnswersStandardData() {
        ScsiResult result = benchmark.inquiry();
        assertEquals(ScsiStatus.GOOD, result.status());
        assertTrue(result.dataIn().remaining() >= 36, "standard INQUIRY data is at least 36 bytes");
    }

    @Test
    void smallReadsAndWritesMoveFourKibibytes() {
        assertGood(benchmark::read10Small, ScsiTargetBenchmark.SMALL);
        assertGood(benchmark::write10Small, -1);
    }

    @Test
    void largeReadsWalkTheWrittenDataAndWrapAround() {
        long reads = MemoryDisk.WRITTEN_BYTES / ScsiTargetBenchmark.LARGE + 2;
        for (int i = 0; i < reads; i++) {
            assertGood(benchmark::read10Large, ScsiTargetBenchmark.LARGE);
        }
    }

    @Test
    void theFloorCopiesTheSameWrittenBytesAsTheCommand() {
        // Every written megabyte holds the same pattern, so consecutive megabytes compare equal.
        for (int i = 0; i < 3; i++) {
            assertEquals(benchmark.mediumReadLarge(), benchmark.read10Large().dataIn());
        }
    }

    private static void assertGood(Supplier<ScsiResult> command, int dataInLength) {
        for (int i = 0; i < 3; i++) {
            ScsiResult result = command.get();
            assertEquals(ScsiStatus.GOOD, result.status());
            assertEquals(Residual.NONE, result.residual());
            if (dataInLength < 0) {
                assertNull(result.dataIn());
            } else {
                assertEquals(dataInLength, result.dataIn().remaining());
            }
        }
    }
}
