package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libiscsi's {@code iscsi-perf}: READ(16)s at a fixed depth (sequential, or random LBAs with {@code -r}) for a fixed
 * time ({@code -t}); it prints a running average and, at the end, "iops average N". It only reads, and always over
 * the whole LUN, so it drives only the whole-LUN read workloads; at QD1 the mean latency is 1/IOPS.
 */
final class IscsiPerf implements Client {
    private static final Pattern AVERAGE = Pattern.compile("iops average (\\d+)");

    @Override
    public String name() {
        return "iscsi-perf";
    }

    @Override
    public List<String> executables() {
        return List.of("iscsi-perf");
    }

    @Override
    public boolean drives(Workload workload) {
        return !workload.write() && !workload.regional();
    }

    @Override
    public Measurement run(Workload workload, Target target, Scale scale, Processes processes, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("iscsi-perf", "-i", "iqn.2026-11.org.storagegateway:bench",
                "-t", Integer.toString(scale.timedSeconds()), "-m", Integer.toString(workload.queueDepth()),
                "-b", Integer.toString(workload.requestBytes() / target.blockSize()), "-l"));
        if (workload.random()) {
            command.add("-r");
        }
        command.add(target.url());
        String output = processes.runOrFail(log, Duration.ofSeconds(scale.timedSeconds() + 60L), command);
        if (!output.contains("finished.")) {
            throw new IOException("iscsi-perf aborted: " + output.strip());
        }
        double iops = parseAverageIops(output);
        long ios = Math.round(iops * scale.timedSeconds());
        Map<Metric, Double> values = workload.queueDepth() == 1 ? Map.of(Metric.LATENCY_MEAN, 1e6 / iops)
                : workload.throughput(iops);
        return new Measurement(values, ios);
    }

    /** The last average it printed: the one over the whole run. */
    static double parseAverageIops(String output) {
        Matcher matcher = AVERAGE.matcher(output);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1);
        }
        if (last == null) {
            throw new IllegalArgumentException("iscsi-perf printed no \"iops average\": " + output.strip());
        }
        return Double.parseDouble(last);
    }
}
