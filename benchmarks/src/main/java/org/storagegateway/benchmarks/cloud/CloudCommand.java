package org.storagegateway.benchmarks.cloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./gateway bench --cloud}: the uploader against the AWS SDK, and cached-volume reads (RESULTS-cloud.md). */
@Command(name = "bench --cloud", mixinStandardHelpOptions = true,
        description = "Measure the uploader against the AWS SDK's multipart upload, and cold and warm reads of a"
                + " cached volume, against the embedded S3 server; write RESULTS-cloud.md.")
public final class CloudCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "64 MiB, one round: proves the benchmark works.")
    boolean quick;

    @Option(names = "--mib", defaultValue = "1024", description = "MiB per round (default: ${DEFAULT-VALUE}).")
    int mib;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--concurrency", defaultValue = "8",
            description = "Chunks (and SDK parts) in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--work-dir", defaultValue = "/var/tmp",
            description = "Where the server's objects and the caches go (default: ${DEFAULT-VALUE}).")
    Path workRoot;

    @Option(names = "--out", defaultValue = "benchmarks/results",
            description = "Where RESULTS-cloud.md goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        int size = quick ? 64 : mib;
        int count = quick ? 1 : rounds;
        Path work = Files.createTempDirectory(workRoot, "gateway-cloud-bench-");
        try {
            CloudBenchmark.Result result = CloudBenchmark.run(work, size, count, concurrency);
            String command = "./gateway bench --cloud --mib " + size + " --rounds " + count + " --concurrency "
                    + concurrency;
            CloudBenchmark.write(out.resolve("RESULTS-cloud.md"), result, command);
            System.out.printf("cloud: uploader %.0f MB/s, SDK multipart %.0f MB/s (ratio %.2f), SDK 1 MiB puts %.0f"
                    + " MB/s (ratio %.2f); cached volume reads cold %.0f, warm %.0f MB/s; %s%n", result.uploader(),
                    result.sdk(), result.ratio(), result.sdkPuts(), result.sameObjectsRatio(), result.coldRead(),
                    result.warmRead(), out.resolve("RESULTS-cloud.md"));
            return 0;
        } finally {
            CloudBenchmark.deleteWork(work);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CloudCommand()).execute(args));
    }
}
