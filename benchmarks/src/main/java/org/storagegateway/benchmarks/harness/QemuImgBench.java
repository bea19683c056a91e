package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code qemu-img bench} over QEMU's libiscsi block driver: N requests of one size at one queue depth, stepping
 * through the LUN ({@link Workload#step}). It reports only the total time, so throughput is requests / time.
 */
final class QemuImgBench implements Client {
    /** Written before any read workload: QEMU skips reading blocks GET LBA STATUS calls deallocated. */
    static final String FILL_PATTERN = "0xa5";
    private static final String WRITE_PATTERN = "0x5a";
    private static final Pattern COMPLETED = Pattern.compile("Run completed in ([0-9.]+) seconds");

    @Override
    public String name() {
        return "qemu-img bench";
    }

    @Override
    public List<String> executables() {
        return List.of("qemu-img");
    }

    @Override
    public boolean drives(Workload workload) {
        return workload.queueDepth() > 1 && !workload.randomData();
    }

    @Override
    public Measurement run(Workload workload, Target target, Scale scale, Processes processes, Path log)
            throws IOException {
        int requests = workload.requests(scale);
        List<String> command = command(target.qemuImageArguments(workload.span(target.bytes())), requests,
                workload.queueDepth(), workload.requestBytes(), workload.step(target.bytes()),
                workload.write() ? WRITE_PATTERN : null);
        double seconds = parseSeconds(processes.runOrFail(log, Duration.ofMinutes(5), command));
        return new Measurement(workload.throughput(requests / seconds), requests);
    }

    /** Writes the whole LUN once with a non-zero pattern, so that every block is allocated and reads move data. */
    static void fill(Target target, Processes processes, Path log) throws IOException {
        int size = 1 << 20;
        processes.runOrFail(log, Duration.ofMinutes(5),
                command(target.qemuImageArguments(target.bytes()), (int) (target.bytes() / size), 8, size, size,
                        FILL_PATTERN));
    }

    private static List<String> command(List<String> image, int requests, int depth, int size, long step,
            String writePattern) {
        List<String> command = new ArrayList<>(List.of("qemu-img", "bench", "-t", "none",
                "-c", Integer.toString(requests), "-d", Integer.toString(depth), "-s", Integer.toString(size),
                "-S", Long.toString(step)));
        if (writePattern != null) {
            command.addAll(List.of("-w", "--pattern=" + writePattern));
        }
        command.addAll(image);
        return command;
    }

    static double parseSeconds(String output) {
        Matcher matcher = COMPLETED.matcher(output);
        if (!matcher.find()) {
            throw new IllegalArgumentException("qemu-img bench printed no \"Run completed\" line: " + output.strip());
        }
        return Double.parseDouble(matcher.group(1));
    }
}
