package org.storagegateway.gateway.cloud;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * The gateway's bandwidth limits as AWS's UpdateBandwidthRateLimit and UpdateBandwidthRateLimitSchedule set them: a
 * limit that holds at all times, and intervals of the week (or month) whose limits hold instead while they last.
 * Rates are in bits per second, as the API gives them; null means unlimited.
 *
 * @param upload    the upload limit outside the intervals, or null
 * @param download  the download limit outside the intervals, or null
 * @param intervals the scheduled intervals, at most {@link #MAX_INTERVALS}, none overlapping
 */
public record BandwidthSchedule(Long upload, Long download, List<Interval> intervals) {
    public static final int MAX_INTERVALS = 20;
    public static final BandwidthSchedule UNLIMITED = new BandwidthSchedule(null, null, List.of());

    public BandwidthSchedule {
        intervals = intervals == null ? List.of() : List.copyOf(intervals);
        if (intervals.size() > MAX_INTERVALS) {
            throw new IllegalArgumentException("at most " + MAX_INTERVALS + " intervals, not " + intervals.size());
        }
        requirePositive(upload, download);
        for (int i = 0; i < intervals.size(); i++) {
            for (int j = i + 1; j < intervals.size(); j++) {
                if (intervals.get(i).overlaps(intervals.get(j))) {
                    throw new IllegalArgumentException("intervals " + (i + 1) + " and " + (j + 1) + " overlap");
                }
            }
        }
    }

    /**
     * One scheduled interval: from {@code startHour:startMinute} to {@code endHour:endMinute} inclusive (its last
     * minute included, as AWS counts it), on the days of the week given (0 = Sunday).
     */
    public record Interval(int startHour, int startMinute, int endHour, int endMinute, Set<Integer> daysOfWeek,
                           Long upload, Long download) {
        public Interval {
            daysOfWeek = daysOfWeek == null ? Set.of() : Set.copyOf(daysOfWeek);
            require(startHour, 0, 23, "StartHourOfDay");
            require(startMinute, 0, 59, "StartMinuteOfHour");
            require(endHour, 0, 23, "EndHourOfDay");
            require(endMinute, 0, 59, "EndMinuteOfHour");
            if (endHour * 60 + endMinute < startHour * 60 + startMinute) {
                throw new IllegalArgumentException("an interval cannot end (" + endHour + ":" + endMinute
                        + ") before it starts (" + startHour + ":" + startMinute + ")");
            }
            if (daysOfWeek.isEmpty()) {
                throw new IllegalArgumentException("DaysOfWeek must name at least one day (0 = Sunday to 6)");
            }
            for (int day : daysOfWeek) {
                require(day, 0, 6, "DaysOfWeek");
            }
            requirePositive(upload, download);
        }

        private int first() {
            return startHour * 60 + startMinute;
        }

        private int last() {
            return endHour * 60 + endMinute;
        }

        /** Whether the interval holds at {@code time} (in the gateway's time zone). */
        public boolean covers(ZonedDateTime time) {
            int minute = time.getHour() * 60 + time.getMinute();
            return minute >= first() && minute <= last() && daysOfWeek.contains(
                    time.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : time.getDayOfWeek().getValue());
        }

        boolean overlaps(Interval other) {
            return daysOfWeek.stream().anyMatch(other.daysOfWeek::contains) && first() <= other.last()
                    && other.first() <= last();
        }
    }

    /** The limits in force at {@code time}, as bytes per second for the limiters (0: unlimited). */
    public long[] bytesPerSecondAt(ZonedDateTime time) {
        for (Interval interval : intervals) {
            if (interval.covers(time)) {
                return new long[] {bytes(interval.upload()), bytes(interval.download())};
            }
        }
        return new long[] {bytes(upload), bytes(download)};
    }

    /** The limits a configuration gives in bytes per second (0: unlimited), with no intervals. */
    public static BandwidthSchedule ofBytesPerSecond(long upload, long download) {
        return new BandwidthSchedule(upload > 0 ? upload * 8 : null, download > 0 ? download * 8 : null, List.of());
    }

    public BandwidthSchedule withLimits(Long newUpload, Long newDownload) {
        return new BandwidthSchedule(newUpload, newDownload, intervals);
    }

    public BandwidthSchedule withIntervals(List<Interval> newIntervals) {
        return new BandwidthSchedule(upload, download, newIntervals);
    }

    private static long bytes(Long bits) {
        return bits == null ? 0 : Math.max(1, bits / 8);
    }

    private static void requirePositive(Long upload, Long download) {
        if (upload != null && upload <= 0 || download != null && download <= 0) {
            throw new IllegalArgumentException("a rate limit must be positive (absent: unlimited)");
        }
    }

    private static void require(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + " to " + max + ", not " + value);
        }
    }
}
