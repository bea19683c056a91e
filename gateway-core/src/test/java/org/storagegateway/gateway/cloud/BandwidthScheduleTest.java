package org.storagegateway.gateway.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BandwidthScheduleTest {
    /** Weekdays 09:00 to 17:59: 8 Mbit/s up; otherwise 80 Mbit/s up, download unlimited. */
    private final BandwidthSchedule schedule = new BandwidthSchedule(80_000_000L, null, List.of(
            new BandwidthSchedule.Interval(9, 0, 17, 59, Set.of(1, 2, 3, 4, 5), 8_000_000L, 16_000_000L)));

    private static ZonedDateTime at(int day, int hour, int minute) {
        // 2026-11-22 is a Sunday.
        return ZonedDateTime.of(2026, 11, 22 + day, hour, minute, 30, 0, ZoneOffset.UTC);
    }

    @Test
    void anIntervalHoldsOnItsDaysFromItsFirstMinuteThroughItsLast() {
        assertArrayEquals(new long[] {1_000_000, 2_000_000}, schedule.bytesPerSecondAt(at(1, 9, 0)));
        assertArrayEquals(new long[] {1_000_000, 2_000_000}, schedule.bytesPerSecondAt(at(5, 17, 59)));
        assertArrayEquals(new long[] {10_000_000, 0}, schedule.bytesPerSecondAt(at(1, 8, 59)));
        assertArrayEquals(new long[] {10_000_000, 0}, schedule.bytesPerSecondAt(at(1, 18, 0)));
        assertArrayEquals(new long[] {10_000_000, 0}, schedule.bytesPerSecondAt(at(0, 12, 0)), "Sunday is 0");
        assertArrayEquals(new long[] {10_000_000, 0}, schedule.bytesPerSecondAt(at(6, 12, 0)), "Saturday is 6");
        assertArrayEquals(new long[] {0, 0}, BandwidthSchedule.UNLIMITED.bytesPerSecondAt(at(1, 12, 0)));
    }

    @Test
    void overlapsBackwardsIntervalsAndBadDaysAreRefused() {
        BandwidthSchedule.Interval morning = new BandwidthSchedule.Interval(8, 0, 12, 0, Set.of(1), 60_000L, null);
        BandwidthSchedule.Interval noon = new BandwidthSchedule.Interval(12, 0, 13, 0, Set.of(1, 2), 60_000L, null);
        assertThrows(IllegalArgumentException.class, () -> schedule.withIntervals(List.of(morning, noon)));
        schedule.withIntervals(List.of(morning, new BandwidthSchedule.Interval(12, 1, 13, 0, Set.of(1), 60_000L,
                null)));
        schedule.withIntervals(List.of(morning, new BandwidthSchedule.Interval(12, 0, 13, 0, Set.of(2), 60_000L,
                null)));
        assertThrows(IllegalArgumentException.class,
                () -> new BandwidthSchedule.Interval(13, 0, 12, 0, Set.of(1), 60_000L, null));
        assertThrows(IllegalArgumentException.class,
                () -> new BandwidthSchedule.Interval(1, 0, 2, 0, Set.of(7), 60_000L, null));
        assertThrows(IllegalArgumentException.class,
                () -> new BandwidthSchedule.Interval(1, 0, 2, 0, Set.of(), 60_000L, null));
        assertThrows(IllegalArgumentException.class,
                () -> new BandwidthSchedule.Interval(24, 0, 2, 0, Set.of(1), 60_000L, null));
    }
}
