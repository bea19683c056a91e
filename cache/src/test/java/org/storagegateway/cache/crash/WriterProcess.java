package org.storagegateway.cache.crash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CrashWriter} in a JVM of its own (the same java binary and class path as this one), with its stdout
 * collected line by line as it comes and its stderr in a file.
 */
final class WriterProcess {
    /** What {@code Process.exitValue()} reports on Linux for a process ended by SIGKILL: 128 + 9. */
    static final int SIGKILL_EXIT = 137;

    private final Process process;
    private final Path errors;
    private final List<String> lines = new ArrayList<>();
    /** Released by the first acknowledgement, or by the end of stdout if none came. */
    private final CountDownLatch firstAck = new CountDownLatch(1);
    private volatile boolean acknowledged;
    private final Thread reader;
    private volatile IOException readFailure;

    private WriterProcess(Process process, Path errors) {
        this.process = process;
        this.errors = errors;
        this.reader = new Thread(this::collect, "crash-writer-stdout");
        reader.start();
    }

    static WriterProcess start(Path cache, Path objects, long seed, Path errors) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // RocksDB and LZ4 unpack their native libraries into the temporary directory and delete them at exit, which
        // SIGKILL skips: each killed writer would leave ~20 MiB in /tmp. Its own directory goes with the test's.
        Path temporary = Files.createDirectories(errors.resolveSibling("tmp"));
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + temporary, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(),
                cache.toString(), objects.toString(), Long.toString(seed));
        builder.redirectError(errors.toFile());
        return new WriterProcess(builder.start(), errors);
    }

    /**
     * Keeps complete lines only: the writer may die halfway through one. Its "begin" line leaves before the call
     * starts, so a call without a complete one never reached the cache.
     */
    private void collect() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') {
                        line.write(buffer[i]);
                        continue;
                    }
                    String complete = line.toString(StandardCharsets.US_ASCII);
                    line.reset();
                    synchronized (lines) {
                        lines.add(complete);
                    }
                    if (complete.startsWith("ack ")) {
                        acknowledged = true;
                        firstAck.countDown();
                    }
                }
            }
        } catch (IOException e) {
            readFailure = e;
        } finally {
            firstAck.countDown();
        }
    }

    /** Waits for the first acknowledged call; false if the writer died or hung first. */
    boolean awaitFirstAck(long timeout, TimeUnit unit) throws InterruptedException {
        return firstAck.await(timeout, unit) && acknowledged;
    }

    /**
     * SIGKILLs the writer and returns its exit status. Through its {@link ProcessHandle}: {@code
     * Process.destroyForcibly()} sends the same signal but also closes our end of the writer's stdout, which drops the
     * lines still in the pipe, and with them acknowledgements of calls the cache did make.
     */
    int kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        int status = process.waitFor();
        reader.join();
        return status;
    }

    /** Every complete line the writer printed; call after {@link #kill}. */
    List<String> lines() throws IOException {
        if (readFailure != null) {
            throw new IOException("the writer's stdout was not read to its end", readFailure);
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Lines of the writer's stderr reporting an error or an exception (a failed eviction logs one, for instance). */
    List<String> complaints() throws IOException {
        return Files.readAllLines(errors).stream()
                .filter(line -> line.contains(" ERROR ") || line.contains("Exception"))
                .toList();
    }

    /** The end of the writer's stderr, for failure messages. */
    String errorTail() {
        try {
            List<String> all = Files.readAllLines(errors);
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }
}
