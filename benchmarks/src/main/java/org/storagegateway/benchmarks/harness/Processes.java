package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every child process the harness starts goes through here, so that one call (from {@link Harness#close()} or the
 * Ctrl-C shutdown hook) stops them all, each by its own pid; nothing is ever killed by name.
 */
final class Processes implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final List<Process> started = new CopyOnWriteArrayList<>();

    /** The outcome of a tool run to completion: exit code and everything it printed. */
    record Outcome(int exitCode, String output) {
    }

    /** Starts a long-running child (a peer), its output going to {@code log}. */
    Process start(Path log, List<String> command) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        started.add(process);
        return process;
    }

    /** Runs a client to completion, or kills it at the deadline and fails: a hung client is a failed run. */
    Outcome run(Path log, Duration deadline, List<String> command, Path stdin) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        started.add(process);
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                throw new IOException(String.join(" ", command) + " did not finish within " + deadline
                        + "; its output is in " + log);
            }
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            started.remove(process);
        }
        // Latin-1 maps every byte to a character: tools print carriage returns and the odd non-ASCII byte.
        return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    /** Runs a client that must succeed and returns what it printed. */
    String runOrFail(Path log, Duration deadline, List<String> command) throws IOException {
        Outcome outcome = run(log, deadline, command, null);
        if (outcome.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + outcome.exitCode() + ": "
                    + outcome.output().strip());
        }
        return outcome.output();
    }

    /** SIGTERM to the process's own pid, then SIGKILL if it has not gone within the grace period. */
    void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        started.remove(process);
    }

    @Override
    public void close() {
        started.forEach(this::stop);
    }

    /** Refuses a port something else already listens on: benchmarking someone else's target would be silent nonsense. */
    static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use; pick others with --port-base",
                    e);
        }
    }

    /** Waits until {@code process} accepts connections on {@code port}, or fails if it dies or takes too long. */
    static void awaitListening(Process process, int port, Duration deadline, Path log) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("the process exited with " + process.exitValue()
                            + " before listening on port " + port + "; see " + log);
                }
                if (System.nanoTime() > end) {
                    throw new IOException("nothing listens on port " + port + " after " + deadline + "; see " + log);
                }
                try {
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(new IOException("interrupted", e));
                }
            }
        }
    }
}
