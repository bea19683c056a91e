package org.storagegateway.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The scheduler over a real cache and snapshot manager (in-memory object store), driven through {@code runDue} at
 * instants the test picks; one test runs its thread on a clock the test moves.
 */
class SnapshotSchedulerTest extends SnapshotFixture {
    private static final String OTHER_VOLUME = "vol-0000000000000000b";
    private static final Instant T0 = Instant.parse("2026-11-22T09:30:00Z");

    /** A clock the test sets. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the scheduler reads instants only");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock schedulerClock = new MovableClock(T0);

    private SnapshotScheduler scheduler() throws IOException {
        return new SnapshotScheduler(directory, ZoneOffset.UTC, schedulerClock, (volumeId, description, tags) -> {
            if (!volumeId.equals(VOLUME_ID)) {
                throw new IOException("no volume " + volumeId);
            }
            return snapshots.snapshot(new SnapshotManager.Source(volumeId, volume), description, tags);
        }, snapshots);
    }

    private static SnapshotSchedule hourly(String volumeId, Integer retain) {
        return new SnapshotSchedule(volumeId, 0, 1, "hourly", Map.of("team", "storage"), retain);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    void schedulesAndTheirRunsSurviveARestart() throws IOException {
        SnapshotSchedule daily = new SnapshotSchedule(OTHER_VOLUME, 23, 24, null, null, null);
        try (SnapshotScheduler scheduler = scheduler()) {
            scheduler.put(hourly(VOLUME_ID, 3));
            scheduler.put(daily);
            assertEquals(1, scheduler.runDue(at("2026-11-22T10:00:00Z")).size());
        }
        try (SnapshotScheduler reloaded = scheduler()) {
            assertEquals(List.of(hourly(VOLUME_ID, 3), daily), reloaded.list());
            assertEquals(List.of(), reloaded.runDue(at("2026-11-22T10:30:00Z")), "the 10:00 run was done");
            assertTrue(reloaded.delete(OTHER_VOLUME));
            assertFalse(reloaded.delete(OTHER_VOLUME));
            assertFalse(reloaded.putIfAbsent(new SnapshotSchedule(VOLUME_ID, 5, 24, null, null, null)),
                    "a seed does not replace a stored schedule");
        }
        try (SnapshotScheduler reloaded = scheduler()) {
            assertEquals(Optional.empty(), reloaded.get(OTHER_VOLUME));
            assertEquals(Optional.of(hourly(VOLUME_ID, 3)), reloaded.get(VOLUME_ID));
        }
    }

    @Test
    void aDamagedFileIsReportedWithItsPlaceAndTheProblem() throws IOException {
        Files.writeString(directory.resolve(SnapshotScheduler.FILE), "{\"formatVersion\":1,\"schedules\":[",
                StandardCharsets.UTF_8);
        IOException truncated = assertThrows(IOException.class, this::scheduler);
        assertTrue(truncated.getMessage().startsWith("damaged snapshot schedules file "
                + directory.resolve(SnapshotScheduler.FILE)), truncated.getMessage());
        Files.writeString(directory.resolve(SnapshotScheduler.FILE), "{\"formatVersion\":1,\"schedules\":[{"
                + "\"schedule\":{\"volumeId\":\"" + VOLUME_ID + "\",\"startAt\":0,\"recurrenceInHours\":3},"
                + "\"doneUntil\":\"" + T0 + "\"}]}", StandardCharsets.UTF_8);
        IOException invalid = assertThrows(IOException.class, this::scheduler);
        assertTrue(invalid.getMessage().contains("recurrenceInHours: must be one of [1, 2, 4, 8, 12, 24], was 3"),
                invalid.getMessage());
    }

    @Test
    void aRunIsTakenOnceWithTheScheduleTagAndNotBeforeItsTime() throws IOException {
        try (SnapshotScheduler scheduler = scheduler()) {
            scheduler.put(hourly(VOLUME_ID, null));
            assertEquals(List.of(), scheduler.runDue(at("2026-11-22T09:59:59.999Z")),
                    "the 9:00 run came before the schedule");
            List<String> taken = scheduler.runDue(at("2026-11-22T10:00:00Z"));
            assertEquals(1, taken.size());
            assertEquals(List.of(), scheduler.runDue(at("2026-11-22T10:00:00Z")));
            SnapshotRecord record = snapshots.describe(taken.get(0)).orElseThrow().record();
            assertEquals(Map.of("team", "storage", SnapshotScheduler.SCHEDULE_TAG, VOLUME_ID), record.tags());
            assertEquals("hourly", record.description());
            assertEquals(Optional.of(at("2026-11-22T11:00:00Z")), scheduler.nextRunAfter(
                    at("2026-11-22T10:00:00Z")));
        }
    }

    @Test
    void runsMissedWhileDownAreMadeUpOnceNotReplayed() throws IOException {
        try (SnapshotScheduler scheduler = scheduler()) {
            scheduler.put(hourly(VOLUME_ID, null));
        }
        try (SnapshotScheduler restarted = scheduler()) {
            assertEquals(1, restarted.runDue(at("2026-11-25T08:17:00Z")).size(), "three days missed, one run");
            assertEquals(List.of(), restarted.runDue(at("2026-11-25T08:59:00Z")));
            assertEquals(1, restarted.runDue(at("2026-11-25T09:00:00Z")).size(), "then on schedule again");
        }
    }

    @Test
    void retentionDeletesTheOldestScheduledSnapshotsAndNeverManualOnes() throws IOException {
        write(volume, 0, fill(CHUNK, 1));
        String manual = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), "manual", Map.of());
        drain(manual);
        try (SnapshotScheduler scheduler = scheduler()) {
            scheduler.put(hourly(VOLUME_ID, 2));
            List<String> scheduled = new java.util.ArrayList<>();
            for (int hour = 10; hour < 14; hour++) {
                write(volume, 0, fill(CHUNK, hour));
                String id = scheduler.runDue(at("2026-11-22T" + hour + ":00:00Z")).get(0);
                scheduled.add(id);
                drain(id);
            }
            assertEquals(Set.of(manual, scheduled.get(2), scheduled.get(3)), ids(),
                    "the two oldest scheduled snapshots are deleted, the manual one stays");
            assertFalse(objects.keys().contains(ManifestStore.manifestKey(scheduled.get(0))));

            String pending = scheduler.runDue(at("2026-11-22T14:00:00Z")).get(0);
            assertEquals(Set.of(manual, scheduled.get(3), pending), ids(),
                    "the pending snapshot counts as one of the two kept");
        }
    }

    @Test
    void oneVolumesFailureDoesNotStopTheOthers() throws IOException {
        try (SnapshotScheduler scheduler = scheduler()) {
            scheduler.put(hourly(OTHER_VOLUME, null));
            scheduler.put(hourly(VOLUME_ID, null));
            List<String> taken = scheduler.runDue(at("2026-11-22T10:00:00Z"));
            assertEquals(1, taken.size());
            assertEquals(VOLUME_ID, snapshots.describe(taken.get(0)).orElseThrow().record().volumeId());
            assertEquals(List.of(), scheduler.runDue(at("2026-11-22T10:00:00Z")),
                    "the failed run is not retried at once: it waits for the next");
        }
    }

    @Test
    void theThreadRunsSchedulesAsTheClockReachesThem() throws IOException, InterruptedException {
        schedulerClock.set(at("2026-11-22T09:59:59.900Z"));
        SnapshotScheduler scheduler = scheduler();
        scheduler.start();
        scheduler.put(hourly(VOLUME_ID, null));
        schedulerClock.set(at("2026-11-22T10:00:00.100Z"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ids().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        scheduler.close();
        assertEquals(1, ids().size(), "the 10:00 run was taken once");
        assertThrows(IllegalStateException.class, scheduler::start);
    }

    private Set<String> ids() {
        return snapshots.list().stream().map(SnapshotRecord::snapshotId).collect(Collectors.toSet());
    }
}
