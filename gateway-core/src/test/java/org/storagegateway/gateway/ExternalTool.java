package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a client nobody here wrote (libiscsi's tools, qemu-img) as a child process with a deadline, its output kept in
 * a log file. A missing tool skips the test on a developer's machine but fails it in CI, whose script installs it.
 */
final class ExternalTool {
    private ExternalTool() {
    }

    /** The outcome of one run: exit code and everything it printed. */
    record Outcome(int exitCode, String output, Path log) {
    }

    /** Skips (or, in CI, fails) unless {@code tool} is on the PATH. */
    static void require(String tool) {
        boolean found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        if (!found && System.getenv("CI") != null) {
            fail(tool + " is not installed; .ci/run must install it");
        }
        assumeTrue(found, tool + " is not installed (Debian: libiscsi-bin, qemu-utils, qemu-block-extra)");
    }

    /** Runs a command to completion or kills it at the deadline (a hung client is a failed test, not a hung build). */
    static Outcome run(Path log, Duration deadline, String... command) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        return finish(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
                log, deadline, command);
    }

    /**
     * Runs a command with more environment variables, its standard output (only: a tool's warnings must not spoil
     * the JSON it prints) in {@code log} and its standard error next to it, in {@code log}.stderr.
     */
    static Outcome run(Path log, Duration deadline, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(log.toFile())
                .redirectError(log.resolveSibling(log.getFileName() + ".stderr").toFile());
        builder.environment().putAll(environment);
        return finish(builder.start(), log, deadline, command);
    }

    private static Outcome finish(Process process, Path log, Duration deadline, String... command)
            throws IOException, InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not finish within " + deadline + "; output in " + log);
        }
        // Latin-1 maps every byte to a character: tools print binary designators too.
        return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1), log);
    }
}
