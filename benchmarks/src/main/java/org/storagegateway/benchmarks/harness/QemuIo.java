package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QEMU's {@code qemu-io} reading commands from standard input, one {@code read OFFSET SIZE} at a time: each waits for
 * the previous, so the depth is 1, and each prints its own timing ("... and N ops/sec" for one op, from a monotonic
 * nanosecond clock), which gives per-request latency and so p50 and p99.
 */
final class QemuIo implements Client {
    private static final Pattern OPS = Pattern.compile("1 ops; .* and ([0-9.]+) ops/sec");

    @Override
    public String name() {
        return "qemu-io";
    }

    @Override
    public List<String> executables() {
        return List.of("qemu-io");
    }

    @Override
    public boolean drives(Workload workload) {
        return workload.queueDepth() == 1 && !workload.write();
    }

    @Override
    public Measurement run(Workload workload, Target target, Scale scale, Processes processes, Path log)
            throws IOException {
        int requests = workload.requests(scale);
        long step = workload.step(target.bytes());
        long span = workload.span(target.bytes());
        StringBuilder script = new StringBuilder();
        long offset = 0;
        for (int i = 0; i < requests; i++) {
            script.append("read ").append(offset).append(' ').append(workload.requestBytes()).append('\n');
            offset = (offset + step) % span;
        }
        Path commands = Files.writeString(log.resolveSibling(log.getFileName() + ".commands"), script);
        try {
            List<String> command = new ArrayList<>(List.of("qemu-io", "-t", "none"));
            command.addAll(target.qemuImageArguments(span));
            Processes.Outcome outcome = processes.run(log, Duration.ofMinutes(5), command, commands);
            if (outcome.exitCode() != 0) {
                throw new IOException("qemu-io exited with " + outcome.exitCode() + "; see " + log);
            }
            double[] micros = parseLatenciesMicros(outcome.output());
            if (micros.length != requests) {
                throw new IOException("qemu-io completed " + micros.length + " of " + requests + " reads; see " + log);
            }
            return new Measurement(Map.of(Metric.LATENCY_P50, Statistics.percentile(micros, 50),
                    Metric.LATENCY_P99, Statistics.percentile(micros, 99),
                    Metric.LATENCY_MEAN, Arrays.stream(micros).average().orElseThrow()), requests);
        } finally {
            Files.deleteIfExists(commands);
        }
    }

    /** Each one-op report's rate, turned into that request's latency in microseconds. */
    static double[] parseLatenciesMicros(String output) {
        List<Double> micros = new ArrayList<>();
        Matcher matcher = OPS.matcher(output);
        while (matcher.find()) {
            micros.add(1e6 / Double.parseDouble(matcher.group(1)));
        }
        return micros.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
