package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU seconds and peak resident memory of one process over a window (one workload run), read from procfs: CPU is
 * utime + stime of the whole thread group ({@code /proc/PID/stat} fields 14 and 15); peak RSS is VmHWM after resetting
 * it at the start of the window ({@code echo 5 > /proc/PID/clear_refs}, Linux 4.0+), and, where that reset is not
 * permitted, the largest VmRSS sampled every 10 ms during the window.
 */
final class ResourceUsage implements AutoCloseable {
    /** USER_HZ, the unit of /proc/PID/stat times: 100 on every Linux ABI this runs on (proc(5)). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;
    private final long startTicks;
    private final boolean hwmReset;
    private final AtomicLong sampledPeak = new AtomicLong();
    private final ScheduledExecutorService sampler;

    /** What a window cost: CPU seconds (user + system) and peak RSS in bytes. */
    record Usage(double cpuSeconds, long peakRssBytes) {
        Usage {
            if (cpuSeconds < 0 || peakRssBytes <= 0) {
                throw new IllegalArgumentException("impossible usage: " + cpuSeconds + " s, " + peakRssBytes + " B");
            }
        }
    }

    private ResourceUsage(long pid) throws IOException {
        this.pid = pid;
        this.hwmReset = resetPeak(pid);
        this.startTicks = cpuTicks(pid);
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rss-sampler-" + pid);
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** Opens a window on {@code pid}; {@link #finish()} closes it. */
    static ResourceUsage watch(long pid) throws IOException {
        return new ResourceUsage(pid);
    }

    Usage finish() throws IOException {
        sampler.shutdownNow();
        double cpu = (cpuTicks(pid) - startTicks) / TICKS_PER_SECOND;
        sample();
        long peak = sampledPeak.get();
        if (hwmReset) {
            peak = Math.max(peak, statusKib(pid, "VmHWM:") * 1024);
        }
        return new Usage(cpu, peak);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private void sample() {
        try {
            long rss = statusKib(pid, "VmRSS:") * 1024;
            sampledPeak.accumulateAndGet(rss, Math::max);
        } catch (IOException | RuntimeException gone) {
            // The process ended mid-window; the run itself reports that failure.
        }
    }

    private static boolean resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            return true;
        } catch (IOException notPermitted) {
            return false;
        }
    }

    static long cpuTicks(long pid) throws IOException {
        return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** utime + stime from a /proc/PID/stat line; the command name in parentheses may itself hold spaces. */
    static long parseCpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are at 11 and 12.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long statusKib(long pid, String key) throws IOException {
        return parseStatusKib(Files.readString(Path.of("/proc", Long.toString(pid), "status")), key);
    }

    static long parseStatusKib(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalArgumentException("no " + key + " line in /proc/PID/status");
    }
}
