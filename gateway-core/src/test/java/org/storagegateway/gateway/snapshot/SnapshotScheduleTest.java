package org.storagegateway.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The schedule's run times as pure functions of an instant, and the validation of its fields. */
class SnapshotScheduleTest {
    private static final String VOLUME = "vol-0000000000000000a";

    private static SnapshotSchedule every(int recurrence, int startAt) {
        return new SnapshotSchedule(VOLUME, startAt, recurrence, null, Map.of(), null);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    /** Asserts the next run after {@code after} and, when given, the last run at or before it, in UTC. */
    private static void assertRuns(SnapshotSchedule schedule, String after, String next, String last) {
        assertEquals(at(next), schedule.nextRunAfter(at(after), ZoneOffset.UTC), "next after " + after);
        if (last != null) {
            assertEquals(at(last), schedule.lastRunAtOrBefore(at(after), ZoneOffset.UTC), "last by " + after);
        }
    }

    @Test
    void theNextRunIsStrictlyAfterAndTheLastAtOrBefore() {
        SnapshotSchedule hourly = every(1, 0);
        // On the hour boundary, the next run is the following hour and the last one is the boundary itself.
        assertRuns(hourly, "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", "2026-03-01T10:00:00Z");
        assertRuns(hourly, "2026-03-01T10:59:59.999Z", "2026-03-01T11:00:00Z", "2026-03-01T10:00:00Z");
    }

    @Test
    void aDailyRunLaterTodayOrTomorrow() {
        SnapshotSchedule daily = every(24, 23);
        // StartAt later today; the last run was yesterday, across a month's end.
        assertRuns(daily, "2026-03-01T10:30:00Z", "2026-03-01T23:00:00Z", "2026-02-28T23:00:00Z");
        assertRuns(daily, "2026-03-01T23:00:00Z", "2026-03-02T23:00:00Z", "2026-03-01T23:00:00Z");
        assertRuns(every(24, 0), "2026-02-28T00:00:00Z", "2026-03-01T00:00:00Z", "2026-02-28T00:00:00Z");
    }

    @Test
    void runsRecurFromStartAtAroundTheWholeDay() {
        SnapshotSchedule everyEight = every(8, 5);
        // After 21:00 comes 05:00 the next day.
        assertRuns(everyEight, "2026-03-01T21:00:00Z", "2026-03-02T05:00:00Z", "2026-03-01T21:00:00Z");
        assertRuns(everyEight, "2026-03-01T13:00:00Z", "2026-03-01T21:00:00Z", "2026-03-01T13:00:00Z");
        assertRuns(everyEight, "2026-03-02T04:59:59Z", "2026-03-02T05:00:00Z", "2026-03-01T21:00:00Z");
        // A StartAt of 15 every 12 hours also runs at 3.
        assertRuns(every(12, 15), "2026-03-01T00:00:00Z", "2026-03-01T03:00:00Z", "2026-02-28T15:00:00Z");
    }

    @Test
    void startAtIsTheGatewaysLocalHour() {
        ZoneId newYork = ZoneId.of("America/New_York");
        SnapshotSchedule daily = every(24, 2);
        assertEquals(at("2026-01-15T07:00:00Z"), daily.nextRunAfter(at("2026-01-15T00:00:00Z"), newYork),
                "02:00 EST is 07:00 UTC");
        assertEquals(at("2026-03-08T07:00:00Z"), daily.nextRunAfter(at("2026-03-08T00:00:00Z"), newYork),
                "02:00 does not exist on the spring-forward day: the run is at 03:00 EDT");
        SnapshotSchedule hourly = every(1, 0);
        assertEquals(at("2026-11-01T07:00:00Z"), hourly.nextRunAfter(at("2026-11-01T05:00:00Z"), newYork),
                "01:00 repeats on the fall-back day; it runs once, and 02:00 EST comes two hours later");
    }

    @Test
    void fieldsAreCheckedWithTheirAllowedValues() {
        assertEquals("startAt: must be an hour of the day, 0-23, was 24",
                assertThrows(IllegalArgumentException.class, () -> every(1, 24)).getMessage());
        assertEquals("recurrenceInHours: must be one of [1, 2, 4, 8, 12, 24], was 3",
                assertThrows(IllegalArgumentException.class, () -> every(3, 0)).getMessage());
        assertEquals("retain: must be 1-1000 (or absent to keep every scheduled snapshot), was 0",
                assertThrows(IllegalArgumentException.class,
                        () -> new SnapshotSchedule(VOLUME, 0, 1, null, Map.of(), 0)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SnapshotSchedule(VOLUME, 0, 1, null, Map.of(), 1001));
        assertThrows(IllegalArgumentException.class,
                () -> new SnapshotSchedule("vol-1", 0, 1, null, Map.of(), null));
        assertThrows(IllegalArgumentException.class,
                () -> new SnapshotSchedule(VOLUME, 0, 1, "x".repeat(256), Map.of(), null));
        assertEquals("tags: keys starting with sgw: are the gateway's own, was \"sgw:schedule\"",
                assertThrows(IllegalArgumentException.class, () -> new SnapshotSchedule(VOLUME, 0, 1, null,
                        Map.of(SnapshotScheduler.SCHEDULE_TAG, VOLUME), null)).getMessage());
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= 50; i++) {
            many.put("k" + i, "v");
        }
        assertEquals("tags: at most 50, were 51", assertThrows(IllegalArgumentException.class,
                () -> new SnapshotSchedule(VOLUME, 0, 1, null, many, null)).getMessage());
        assertEquals(1000, new SnapshotSchedule(VOLUME, 23, 24, "nightly", Map.of("team", "a"), 1000).retain());
    }
}
