package org.storagegateway.benchmarks.cloud;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.cloud.S3ObjectStore;
import org.storagegateway.gateway.upload.Uploader;
import org.storagegateway.gateway.upload.UploaderSettings;
import org.storagegateway.gateway.volume.RemoteChunkSource;

/**
 * Issue 5's cloud figures, measured side by side in one run against the embedded S3-compatible server over HTTP:
 * <ul>
 *   <li>upload throughput: the uploader draining a dirty stored volume, against the AWS SDK's own parallel multipart
 *       upload of the same bytes (8 MiB parts, as many at once as the uploader runs) and against the SDK's parallel
 *       PutObject of the same bytes in the uploader's object size (1 MiB), one after the other in each round, with
 *       the process's CPU time per MiB of each (client and server share the JVM and the cores);</li>
 *   <li>a cached volume's sequential reads with its cache empty (every chunk fetched from the store) and warm.</li>
 * </ul>
 * Each round writes bytes no earlier round wrote, since chunks are content-addressed and would otherwise be found
 * already uploaded. Everything runs in this JVM, the server included, on the same cores for both sides.
 */
public final class CloudBenchmark {
    private static final int PART = 8 << 20;
    private static final int READ = 1 << 20;

    private final Path work;
    private final int mib;
    private final int concurrency;
    private final CloudStore cloud;
    private final S3Client sdk;

    private CloudBenchmark(Path work, int mib, int concurrency, CloudStore cloud, S3Client sdk) {
        this.work = work;
        this.mib = mib;
        this.concurrency = concurrency;
        this.cloud = cloud;
        this.sdk = sdk;
    }

    /** One upload's rate, MB/s (10^6 bytes per second), and the process's CPU milliseconds per MiB moved. */
    record Upload(double rate, double cpuPerMib) {
    }

    /** One round's figures: the three uploads, and the cached volume's reads in MB/s. */
    record Round(Upload uploader, Upload sdk, Upload sdkPuts, double coldRead, double warmRead) {
    }

    /** The medians of a run, and the rounds they came from. */
    record Result(int mib, int concurrency, List<Round> rounds, double uploader, double sdk, double sdkPuts,
                  double coldRead, double warmRead) {
        /**
         * Against the SDK's multipart upload, the goal: the median of the rounds' ratios, each taken between
         * uploads run one right after the other, so that load on the machine between rounds cancels out.
         */
        double ratio() {
            return median(rounds, round -> round.uploader().rate() / round.sdk().rate());
        }

        /** Against the SDK putting objects of the uploader's size: what the uploader adds to the requests it makes. */
        double sameObjectsRatio() {
            return median(rounds, round -> round.uploader().rate() / round.sdkPuts().rate());
        }
    }

    /** Runs {@code rounds} rounds of {@code mib} MiB each with the uploader's {@code concurrency}. */
    public static Result run(Path work, int mib, int rounds, int concurrency) throws Exception {
        String secret = "cloud-benchmark-secret";
        ObjectStoreSettings settings = new ObjectStoreSettings(null, "us-east-1", "bench", "", true, "bench", secret,
                Map.of(), null, 0, 0, concurrency * 2, new ObjectStoreSettings.Embedded(work.resolve("s3"),
                "127.0.0.1", 0, "bench", secret));
        try (CloudStore cloud = CloudStore.open(settings)) {
            ObjectStoreSettings direct = new ObjectStoreSettings(cloud.embeddedEndpoint(), "us-east-1", "bench", "",
                    true, "bench", secret, Map.of(), null, 0, 0, concurrency * 2, null);
            try (S3Client sdk = S3ObjectStore.client(direct, direct.endpoint())) {
                CloudBenchmark benchmark = new CloudBenchmark(work, mib, concurrency, cloud, sdk);
                List<Round> results = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    results.add(benchmark.round(round));
                    System.out.printf("cloud round %d: %s%n", round + 1, results.get(round));
                }
                return new Result(mib, concurrency, results, median(results, round -> round.uploader().rate()),
                        median(results, round -> round.sdk().rate()), median(results, round -> round.sdkPuts().rate()),
                        median(results, Round::coldRead), median(results, Round::warmRead));
            }
        }
    }

    private Round round(int round) throws Exception {
        long seed = 1_000_003L * (round + 1);
        Upload sdkRate = sdkMultipart(seed, "sdk/round-" + round);
        Upload sdkPutsRate = sdkPuts(seed + 1, "sdk-puts/round-" + round + "/");
        Path cacheDirectory = work.resolve("cache-" + round);
        Upload uploaderRate;
        double cold;
        double warm;
        try (BlockCache cache = BlockCache.open(CacheSettings.of(cacheDirectory, (long) mib << 22, (long) mib << 21))) {
            CachedVolume volume = cache.openVolume("upload", (long) mib << 20, VolumeMode.STORED, null);
            fill(volume, seed + 2);
            // As the SDK's files are on disk before its clock starts, the cache's flushes and compactions of the
            // fill are done before the uploader's: neither side is timed doing the other's earlier writing.
            if (!cache.awaitBackgroundWork(Duration.ofMinutes(2))) {
                throw new IllegalStateException("the cache was still flushing or compacting after 2 minutes");
            }
            UploaderSettings defaults = UploaderSettings.DEFAULTS;
            try (Uploader uploader = new Uploader(cloud.chunks(), new UploaderSettings(concurrency,
                    defaults.initialBackoff(), defaults.maxBackoff(), defaults.idlePoll()),
                    duration -> Thread.sleep(duration.toMillis()))) {
                uploader.register(volume);
                Meter meter = new Meter();
                Uploader.PassResult pass = uploader.drain(volume.name());
                uploaderRate = meter.stop();
                if (pass.failed() > 0 || !volume.dirtyChunks(0, 1).isEmpty()) {
                    throw new IllegalStateException("the uploader left dirty chunks: " + pass);
                }
                uploader.unregister(volume.name());
            }
            CachedVolume cached = cache.openVolume("cold", (long) mib << 20, VolumeMode.CACHED,
                    new RemoteChunkSource(cloud.chunks()));
            cached.putRemoteRefs(volume.remoteRefs(0, Integer.MAX_VALUE));
            cold = readAll(cached);
            warm = readAll(cached);
        } finally {
            deleteTree(cacheDirectory);
        }
        return new Round(uploaderRate, sdkRate, sdkPutsRate, cold, warm);
    }

    /** Writes the volume whole with random bytes of {@code seed}, a chunk at a time. */
    private void fill(CachedVolume volume, long seed) throws IOException {
        byte[] chunk = new byte[1 << 20];
        SplittableRandom random = new SplittableRandom(seed);
        for (long offset = 0; offset < (long) mib << 20; offset += chunk.length) {
            fillRandom(random, chunk);
            volume.write(offset, ByteBuffer.wrap(chunk), false);
        }
        volume.flush();
    }

    private static void fillRandom(SplittableRandom random, byte[] data) {
        for (int i = 0; i < data.length; i += 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                data[i + b] = (byte) (value >>> (8 * b));
            }
        }
    }

    /**
     * Writes {@code count} files of {@code size} random bytes of {@code seed}: the SDK uploads the same bytes from
     * files, as its transfer manager does, where the uploader reads them from the cache.
     */
    private List<Path> writeFiles(long seed, String name, int count, int size) throws IOException {
        Path directory = Files.createDirectories(work.resolve(name));
        SplittableRandom random = new SplittableRandom(seed);
        byte[] data = new byte[size];
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            fillRandom(random, data);
            Path file = Files.write(directory.resolve(Integer.toString(i)), data);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            files.add(file);
        }
        return files;
    }

    /** The SDK's multipart upload of the same amount of bytes, from files: 8 MiB parts, {@code concurrency} at once. */
    private Upload sdkMultipart(long seed, String key) throws Exception {
        int size = Math.min(PART, mib << 20);
        List<Path> parts = writeFiles(seed, "sdk-parts", Math.max(1, (mib << 20) / size), size);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            Meter meter = new Meter();
            String uploadId = sdk.createMultipartUpload(r -> r.bucket("bench").key(key)).uploadId();
            List<Future<CompletedPart>> futures = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                int number = i + 1;
                Path part = parts.get(i);
                futures.add(pool.submit(() -> CompletedPart.builder().partNumber(number)
                        .eTag(sdk.uploadPart(r -> r.bucket("bench").key(key).uploadId(uploadId).partNumber(number)
                                .contentLength((long) size), RequestBody.fromFile(part)).eTag()).build()));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> future : futures) {
                completed.add(future.get());
            }
            sdk.completeMultipartUpload(r -> r.bucket("bench").key(key).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(completed)));
            Upload upload = meter.stop();
            sdk.deleteObject(r -> r.bucket("bench").key(key));
            return upload;
        } finally {
            pool.shutdownNow();
            deleteTree(work.resolve("sdk-parts"));
        }
    }

    /** The SDK's parallel PutObject of the same amount of bytes as 1 MiB files, {@code concurrency} at once. */
    private Upload sdkPuts(long seed, String prefix) throws Exception {
        List<Path> objects = writeFiles(seed, "sdk-objects", mib, 1 << 20);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            Meter meter = new Meter();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < objects.size(); i++) {
                Path object = objects.get(i);
                String key = prefix + i;
                futures.add(pool.submit(() -> sdk.putObject(r -> r.bucket("bench").key(key)
                        .contentLength((long) (1 << 20)), RequestBody.fromFile(object))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return meter.stop();
        } finally {
            pool.shutdownNow();
            deleteTree(work.resolve("sdk-objects"));
        }
    }

    /** Wall-clock and process CPU time from its creation to {@link #stop}, as an {@link Upload} of the run's bytes. */
    private final class Meter {
        private final long startedNanos = System.nanoTime();
        private final long startedCpu = processCpuNanos();

        Upload stop() {
            long cpu = processCpuNanos() - startedCpu;
            return new Upload(rate(System.nanoTime() - startedNanos), cpu / 1e6 / mib);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private double readAll(CachedVolume volume) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(READ);
        long started = System.nanoTime();
        for (long offset = 0; offset < (long) mib << 20; offset += READ) {
            buffer.clear();
            volume.read(offset, buffer);
        }
        return rate(System.nanoTime() - started);
    }

    private double rate(long nanos) {
        return ((long) mib << 20) / (nanos / 1e9) / 1e6;
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /** Removes what a run left in its work directory. */
    static void deleteWork(Path directory) throws IOException {
        deleteTree(directory);
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The results as markdown. */
    static String report(Result result, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# Cloud benchmark: the uploader against the AWS SDK, and cached-volume reads\n\n");
        md.append("Measured ").append(Instant.now()).append(" with `").append(command).append("`.\n\n");
        md.append("- Server: the embedded S3-compatible server (S3Proxy over a directory in the work directory),")
                .append(" in the same JVM as both clients, over HTTP on loopback.\n");
        md.append("- Upload: ").append(result.mib()).append(" MiB of random bytes (incompressible: LZ4 keeps them")
                .append(" raw) per upload. The uploader drains a stored volume holding them, ")
                .append(result.concurrency()).append(" chunks of 1 MiB at once; the AWS SDK uploads the same amount")
                .append(" of bytes from files, as its transfer manager does, as one multipart object of 8 MiB parts, ")
                .append(result.concurrency()).append(" parts at once, and as 1 MiB objects with PutObject, ")
                .append(result.concurrency()).append(" at once. Both start settled: the files are written and")
                .append(" forced to disk before the SDK's clock starts (and read from the page cache), the volume")
                .append(" is written and the cache's flushes and compactions done before the uploader's.")
                .append(" Every upload uses bytes no other wrote (chunks are content-addressed).\n");
        md.append("- CPU ms/MiB: the whole process's CPU time (client, server and cache) per MiB uploaded.\n");
        md.append("- Reads: a cached volume naming the uploaded chunks, read front to back 1 MiB at a time;")
                .append(" cold = its cache empty (every chunk fetched from the store), warm = read again.\n");
        md.append("- MB/s = 10^6 bytes per second; medians over the rounds.\n\n");
        md.append("| figure | median MB/s |\n| --- | ---: |\n");
        md.append(String.format("| uploader drain | %.0f |%n", result.uploader()));
        md.append(String.format("| AWS SDK multipart upload (8 MiB parts) | %.0f |%n", result.sdk()));
        md.append(String.format("| AWS SDK PutObject (1 MiB objects) | %.0f |%n", result.sdkPuts()));
        md.append(String.format("| **ratio uploader / SDK multipart** (median of the rounds' ratios) | **%.2f** |%n",
                result.ratio()));
        md.append(String.format("| ratio uploader / SDK PutObject of the same object size (median of the rounds')"
                + " | %.2f |%n",
                result.sameObjectsRatio()));
        md.append(String.format("| cached volume, cold sequential read | %.0f |%n", result.coldRead()));
        md.append(String.format("| cached volume, warm sequential read | %.0f |%n%n", result.warmRead()));
        md.append("| round | uploader MB/s (CPU ms/MiB) | SDK multipart | SDK PutObject | ratio to multipart |")
                .append(" ratio to PutObject | cold read | warm read |\n")
                .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int i = 0; i < result.rounds().size(); i++) {
            Round round = result.rounds().get(i);
            md.append(String.format("| %d | %s | %s | %s | %.2f | %.2f | %.0f | %.0f |%n", i + 1,
                    cell(round.uploader()), cell(round.sdk()), cell(round.sdkPuts()),
                    round.uploader().rate() / round.sdk().rate(), round.uploader().rate() / round.sdkPuts().rate(),
                    round.coldRead(), round.warmRead()));
        }
        return md.toString();
    }

    private static String cell(Upload upload) {
        return String.format("%.0f (%.1f)", upload.rate(), upload.cpuPerMib());
    }

    /** Writes the report to {@code file}. */
    static void write(Path file, Result result, String command) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, report(result, command), StandardCharsets.UTF_8);
    }
}
