package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's heap over its whole life, from its {@code -Xlog:gc,gc+init} log. Between two pauses the used heap only
 * grows (allocation), and every pause logs what it found ("{@code 412M->98M(512M)}"), so the largest "before"
 * figure is the peak of the used heap, to the logger's rounding (whole MiB), except for whatever the JVM allocated
 * after its last pause.
 *
 * @param peakUsedBytes        the most heap in use at any pause
 * @param largestCommittedBytes the most heap committed (reserved from the OS) at any pause
 * @param maxCapacityBytes     the heap's ceiling ({@code -Xmx} or the JVM's default), 0 if not logged
 * @param pauses               how many pauses it logged
 * @param fullCollections      how many of those were full collections (a stop-everything compaction)
 * @param pauseSeconds         the pauses' total duration
 */
record HeapUsage(long peakUsedBytes, long largestCommittedBytes, long maxCapacityBytes, int pauses,
        int fullCollections, double pauseSeconds) {
    private static final Pattern PAUSE = Pattern.compile(
            "\\] GC\\(\\d+\\) Pause (\\w+).* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([0-9.]+)ms");
    private static final Pattern MAX = Pattern.compile("Heap Max Capacity: (\\d+)([KMG])");

    /** The JVM option that writes the log this reads. */
    static String logOption(Path log) {
        return "-Xlog:gc,gc+init:file=" + log;
    }

    static HeapUsage read(Path log) throws IOException {
        return parse(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
    }

    static HeapUsage parse(List<String> lines) {
        long peak = 0;
        long committed = 0;
        long max = 0;
        int pauses = 0;
        int full = 0;
        double pauseMillis = 0;
        for (String line : lines) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                pauses++;
                full += pause.group(1).equals("Full") ? 1 : 0;
                peak = Math.max(peak, bytes(pause.group(2), pause.group(3)));
                committed = Math.max(committed, bytes(pause.group(6), pause.group(7)));
                pauseMillis += Double.parseDouble(pause.group(8));
                continue;
            }
            Matcher capacity = MAX.matcher(line);
            if (capacity.find()) {
                max = bytes(capacity.group(1), capacity.group(2));
            }
        }
        return new HeapUsage(peak, committed, max, pauses, full, pauseMillis / 1000);
    }

    private static long bytes(String number, String unit) {
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Long.parseLong(number) << shift;
    }
}
