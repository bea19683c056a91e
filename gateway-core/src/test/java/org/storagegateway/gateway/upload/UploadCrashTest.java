package org.storagegateway.gateway.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.EmbeddedS3;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.cloud.S3ObjectStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 5's crash test for uploads: an {@link UploadCrashChild} writes chunks while the real uploader drains them over
 * HTTP to an S3 server in this process, and is SIGKILLed at random moments, at least 20 times; each restart goes on in
 * the same cache. A last run only drains. Then: every chunk's uploaded state is its content in the cache, which is
 * its last acknowledged write (or the write in flight at the last kill); every object named reads back as that
 * content from the store; and no object was uploaded again after the store had confirmed it to the uploader (after
 * a restart, uploads that may have landed are looked for first).
 *
 * <p>System properties: {@code crash.kills} (default 20), {@code crash.seed} (default: the clock; printed).
 */
class UploadCrashTest {
    private static final int KILLS = Integer.getInteger("crash.kills", 20);
    private static final String SECRET = "upload-crash-test-secret";
    private static final long VERSIONS_PER_RUN = 1_000_000;

    /** Kept when the test fails, with each child's stderr, for a post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    /** The last acknowledged version of each chunk, and a version begun after it (the write in flight at a kill). */
    private final Map<Integer, Long> acknowledged = new HashMap<>();
    private final Map<Integer, Long> inFlight = new HashMap<>();
    /** Object keys the store confirmed to the uploader, and uploads begun after their key had been confirmed. */
    private final Set<String> confirmed = new HashSet<>();
    private final List<String> duplicates = new ArrayList<>();
    private long uploadsBegun;
    private long writes;

    @Test
    void uploadsSurviveSigkillResumeAndNeverRepeatAConfirmedObject() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("upload crash test seed " + seed + " (-Dcrash.seed to repeat)");
        Random random = new Random(seed);
        try (EmbeddedS3 s3 = EmbeddedS3.start(new ObjectStoreSettings.Embedded(directory.resolve("s3"), "127.0.0.1",
                0, "crash", SECRET))) {
            ObjectStoreSettings settings = UploadCrashChild.settings(s3.endpoint(), SECRET);
            try (S3Client admin = S3ObjectStore.client(settings, s3.endpoint())) {
                admin.createBucket(r -> r.bucket(UploadCrashChild.BUCKET));
            }
            Path cache = directory.resolve("cache");
            int killedMidUpload = 0;
            for (int run = 0; run < KILLS; run++) {
                Child child = Child.start(cache, s3, run * VERSIONS_PER_RUN + 1, "write", directory.resolve(
                        "child-" + run + ".err"));
                // Killed after a random number of lines: somewhere among writes, uploads begun and confirmed.
                int lines = 40 + random.nextInt(400);
                List<String> output = child.readLines(lines);
                int status = child.kill(output);
                assertEquals(Child.SIGKILL_EXIT, status, "run " + run + " ended by itself:\n" + child.errorTail());
                if (account(output)) {
                    killedMidUpload++;
                }
            }
            Child last = Child.start(cache, s3, KILLS * VERSIONS_PER_RUN + 1, "drain", directory.resolve("drain.err"));
            List<String> output = last.readToEnd();
            assertTrue(output.contains("drained"), "the last run did not drain:\n" + last.errorTail());
            account(output);
            String counters = output.stream().filter(line -> line.startsWith("counters ")).findFirst().orElseThrow();
            verifyFinalState(output, settings);
            assertEquals(List.of(), duplicates, "uploads of objects the store had already confirmed");
            System.out.printf("upload crash test: %d kills (%d with an upload under way), %,d writes acknowledged,"
                    + " %,d uploads begun, %,d confirmed objects, 0 uploaded again; last run: %s%n", KILLS,
                    killedMidUpload, writes, uploadsBegun, confirmed.size(), counters);
        }
    }

    /** Takes in one run's lines; returns whether it was killed with an upload begun and not confirmed. */
    private boolean account(List<String> lines) {
        Set<String> open = new HashSet<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "begin" -> inFlight.put(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
                case "ack" -> {
                    int chunk = Integer.parseInt(parts[1]);
                    acknowledged.put(chunk, Long.parseLong(parts[2]));
                    inFlight.remove(chunk);
                    writes++;
                }
                case "put" -> {
                    uploadsBegun++;
                    open.add(parts[1]);
                    if (confirmed.contains(parts[1])) {
                        duplicates.add(parts[1]);
                    }
                }
                case "done" -> {
                    open.remove(parts[1]);
                    confirmed.add(parts[1]);
                }
                default -> { }
            }
        }
        return !open.isEmpty();
    }

    private void verifyFinalState(List<String> output, ObjectStoreSettings settings) throws IOException {
        int checked = 0;
        try (CloudStore cloud = CloudStore.open(settings)) {
            for (String line : output) {
                if (!line.startsWith("final ")) {
                    continue;
                }
                String[] parts = line.split(" ");
                int chunk = Integer.parseInt(parts[1]);
                String content = parts[2];
                assertEquals(content, parts[3], "chunk " + chunk + ": its uploaded state is not its content");
                Set<String> allowed = new HashSet<>();
                for (Long version : new Long[] {acknowledged.get(chunk), inFlight.get(chunk)}) {
                    if (version != null) {
                        allowed.add(cloud.chunks().refOf(UploadCrashChild.content(chunk, version),
                                UploadCrashChild.CHUNK).hex());
                    }
                }
                if (allowed.isEmpty()) {
                    assertEquals("-", content, "chunk " + chunk + " was never written");
                    continue;
                }
                assertTrue(allowed.contains(content), "chunk " + chunk + " holds neither its last acknowledged"
                        + " write nor the one in flight");
                byte[] back = new byte[UploadCrashChild.CHUNK];
                cloud.chunks().get(ChunkRef.fromHex(content), back);
                long version = cloud.chunks().refOf(UploadCrashChild.content(chunk, acknowledged.get(chunk)),
                        UploadCrashChild.CHUNK).hex().equals(content) ? acknowledged.get(chunk) : inFlight.get(chunk);
                assertArrayEquals(UploadCrashChild.content(chunk, version), back, "chunk " + chunk + " in the store");
                checked++;
            }
        }
        assertEquals(UploadCrashChild.CHUNKS, output.stream().filter(line -> line.startsWith("final ")).count());
        assertTrue(checked > UploadCrashChild.CHUNKS / 2, "too few chunks were ever written: " + checked);
    }

    /** A child JVM on this class path, its stdout read line by line. */
    private static final class Child {
        /** What a process ended by SIGKILL exits with on Linux: 128 + 9. */
        static final int SIGKILL_EXIT = 137;
        private final Process process;
        private final InputStream out;
        private final Path errors;

        private Child(Process process, Path errors) {
            this.process = process;
            this.out = new BufferedInputStream(process.getInputStream());
            this.errors = errors;
        }

        static Child start(Path cache, EmbeddedS3 s3, long version, String mode, Path errors) throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Native libraries unpack into the temporary directory and SIGKILL skips their removal.
            Path temporary = Files.createDirectories(errors.resolveSibling("tmp"));
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                    "-Djava.io.tmpdir=" + temporary, "-cp", System.getProperty("java.class.path"),
                    UploadCrashChild.class.getName(), cache.toString(), s3.endpoint().toString(), SECRET,
                    Long.toString(version), mode);
            builder.redirectError(errors.toFile());
            return new Child(builder.start(), errors);
        }

        /**
         * Up to {@code count} complete lines, or fewer if the child ends first: a line the kill cut off has no end of
         * line and is dropped, so a half-printed acknowledgement never counts.
         */
        List<String> readLines(int count) throws IOException {
            List<String> lines = new ArrayList<>();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (lines.size() < count) {
                int b = out.read();
                if (b < 0) {
                    break;
                }
                if (b == '\n') {
                    lines.add(line.toString(StandardCharsets.US_ASCII));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            return lines;
        }

        List<String> readToEnd() throws IOException, InterruptedException {
            List<String> lines = readLines(Integer.MAX_VALUE);
            process.waitFor(1, TimeUnit.MINUTES);
            return lines;
        }

        /**
         * SIGKILLs the child and adds the complete lines still in the pipe to {@code lines} (a write acknowledged
         * there happened); returns the exit status. Through its {@link ProcessHandle}: {@code destroyForcibly()} on
         * the {@code Process} would also close our end of the pipe and lose those lines.
         */
        int kill(List<String> lines) throws IOException, InterruptedException {
            process.toHandle().destroyForcibly();
            int status = process.waitFor();
            lines.addAll(readLines(Integer.MAX_VALUE));
            return status;
        }

        String errorTail() {
            try {
                List<String> all = Files.readAllLines(errors);
                return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
            } catch (IOException e) {
                return "(no stderr: " + e.getMessage() + ")";
            }
        }
    }
}
