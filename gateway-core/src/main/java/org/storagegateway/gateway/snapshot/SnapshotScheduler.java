package org.storagegateway.gateway.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each volume's scheduled snapshots ({@link SnapshotSchedule}) and deletes the scheduled snapshots beyond its
 * retention. Schedules persist in {@code <data>/snapshot-schedules.json} with the time up to which each has run.
 *
 * <p>A run missed while the gateway was down is made up once, at the start, however many were missed: the volumes
 * cannot change while the gateway is down, so that one snapshot holds exactly what the first missed run would have,
 * and more would be copies of it that push older, different snapshots out of the retention. A run is marked done
 * before it is taken, so a crash in between loses that run rather than taking it twice.
 */
public final class SnapshotScheduler implements AutoCloseable {
    /** The tag every scheduled snapshot carries, its value the volume id: what retention tells them apart by. */
    public static final String SCHEDULE_TAG = "sgw:schedule";
    static final String FILE = "snapshot-schedules.json";
    private static final int FORMAT_VERSION = 1;
    /** The longest the thread sleeps without reading the clock again, so a clock set forward is noticed. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotScheduler.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Takes a snapshot of a volume (by id) and returns its snapshot id, e.g. through CloudVolumes. */
    @FunctionalInterface
    public interface Snapshotter {
        String snapshot(String volumeId, String description, Map<String, String> tags) throws IOException;
    }

    /** The file's content: a format version and every schedule with the time up to which its runs are done. */
    record Stored(int formatVersion, List<Entry> schedules) {
        Stored {
            if (formatVersion != FORMAT_VERSION) {
                throw new IllegalArgumentException("formatVersion: must be " + FORMAT_VERSION + ", was "
                        + formatVersion);
            }
            schedules = schedules == null ? List.of() : List.copyOf(schedules);
        }
    }

    /** A schedule and the instant (ISO-8601) up to which its runs are done. */
    record Entry(SnapshotSchedule schedule, String doneUntil) {
        Entry {
            if (schedule == null) {
                throw new IllegalArgumentException("schedule: required");
            }
            try {
                Instant.parse(doneUntil);
            } catch (DateTimeParseException | NullPointerException e) {
                throw new IllegalArgumentException("doneUntil: must be an ISO-8601 instant, was " + doneUntil);
            }
        }

        Instant done() {
            return Instant.parse(doneUntil);
        }
    }

    private final Path file;
    private volatile ZoneId zone;
    private final Clock clock;
    private final Snapshotter snapshotter;
    private final SnapshotManager snapshots;
    private final Map<String, Entry> entries = new TreeMap<>();
    private Thread thread;
    private boolean closed;

    /**
     * Loads the stored schedules; {@code zone} is the gateway's time zone, in which {@code startAt} hours are read.
     * Retention lists and deletes through {@code snapshots}.
     */
    public SnapshotScheduler(Path dataDirectory, ZoneId zone, Clock clock, Snapshotter snapshotter,
                             SnapshotManager snapshots) throws IOException {
        this.file = dataDirectory.resolve(FILE);
        this.zone = zone;
        this.clock = clock;
        this.snapshotter = snapshotter;
        this.snapshots = snapshots;
        if (Files.exists(file)) {
            for (Entry entry : read(file).schedules()) {
                if (entries.put(entry.schedule().volumeId(), entry) != null) {
                    throw new IOException("damaged snapshot schedules file " + file + ": volume "
                            + entry.schedule().volumeId() + " has two schedules");
                }
            }
        }
    }

    private static Stored read(Path file) throws IOException {
        try {
            Stored stored = JSON.readValue(Files.readAllBytes(file), Stored.class);
            if (stored == null) {
                throw new IOException("damaged snapshot schedules file " + file + ": empty");
            }
            return stored;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("damaged snapshot schedules file " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The gateway's time zone, in which schedules' hours are read (DescribeSnapshotSchedule's Timezone). */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Reads schedules' hours in another zone from now on (UpdateGatewayInformation changed the gateway's): a run the
     * new zone puts between the last run and now is taken at once, as a missed one would be.
     */
    public synchronized void setZone(ZoneId newZone) {
        zone = newZone;
        notifyAll();
    }

    /** Sets a volume's schedule, replacing any; runs due before now are not taken. */
    public synchronized void put(SnapshotSchedule schedule) throws IOException {
        Map<String, Entry> next = new TreeMap<>(entries);
        next.put(schedule.volumeId(), new Entry(schedule, clock.instant().toString()));
        save(next);
        notifyAll();
    }

    /** Sets a volume's schedule only if it has none stored (a configuration's seed); returns whether it did. */
    public synchronized boolean putIfAbsent(SnapshotSchedule schedule) throws IOException {
        if (entries.containsKey(schedule.volumeId())) {
            return false;
        }
        put(schedule);
        return true;
    }

    public synchronized Optional<SnapshotSchedule> get(String volumeId) {
        return Optional.ofNullable(entries.get(volumeId)).map(Entry::schedule);
    }

    /** Removes a volume's schedule (its snapshots stay); returns whether it had one. */
    public synchronized boolean delete(String volumeId) throws IOException {
        if (!entries.containsKey(volumeId)) {
            return false;
        }
        Map<String, Entry> next = new TreeMap<>(entries);
        next.remove(volumeId);
        save(next);
        notifyAll();
        return true;
    }

    /** Every schedule, by volume id. */
    public synchronized List<SnapshotSchedule> list() {
        return entries.values().stream().map(Entry::schedule).toList();
    }

    /** The next run of any schedule after {@code now}, if there is a schedule. */
    public synchronized Optional<Instant> nextRunAfter(Instant now) {
        return entries.values().stream().map(entry -> entry.schedule().nextRunAfter(now, zone))
                .min(Comparator.naturalOrder());
    }

    private void save(Map<String, Entry> next) throws IOException {
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Stored(FORMAT_VERSION, List.copyOf(next.values()))));
        entries.clear();
        entries.putAll(next);
    }

    /**
     * Takes the snapshot of every schedule with a run at or before {@code now} not done yet, once each however many
     * it missed, then applies its retention; returns the snapshot ids taken. A volume's failure is logged and the
     * others go on. The thread calls this; tests call it with the instant they choose.
     */
    public List<String> runDue(Instant now) {
        List<SnapshotSchedule> due = new ArrayList<>();
        synchronized (this) {
            Map<String, Entry> next = new TreeMap<>(entries);
            for (Entry entry : entries.values()) {
                if (entry.schedule().lastRunAtOrBefore(now, zone).isAfter(entry.done())) {
                    due.add(entry.schedule());
                    next.put(entry.schedule().volumeId(), new Entry(entry.schedule(), now.toString()));
                }
            }
            if (due.isEmpty()) {
                return List.of();
            }
            try {
                save(next);
            } catch (IOException e) {
                // Taking the snapshots matters more; after a restart they may be taken again, once.
                LOG.error("Cannot record the scheduled runs in {}: {}", file, e.getMessage(), e);
                entries.putAll(next);
            }
        }
        List<String> taken = new ArrayList<>();
        for (SnapshotSchedule schedule : due) {
            take(schedule).ifPresent(taken::add);
        }
        return taken;
    }

    private Optional<String> take(SnapshotSchedule schedule) {
        Map<String, String> tags = new LinkedHashMap<>(schedule.tags());
        tags.put(SCHEDULE_TAG, schedule.volumeId());
        String snapshotId;
        try {
            snapshotId = snapshotter.snapshot(schedule.volumeId(), schedule.description(), tags);
        } catch (IOException | RuntimeException e) {
            LOG.error("Scheduled snapshot of {} failed: {}", schedule.volumeId(), e.getMessage(), e);
            return Optional.empty();
        }
        LOG.info("Scheduled snapshot {} of {} taken", snapshotId, schedule.volumeId());
        if (schedule.retain() != null) {
            try {
                prune(schedule.volumeId(), schedule.retain());
            } catch (IOException | RuntimeException e) {
                LOG.error("Deleting old scheduled snapshots of {} failed: {}", schedule.volumeId(), e.getMessage(),
                        e);
            }
        }
        return Optional.of(snapshotId);
    }

    /**
     * Deletes the volume's completed scheduled snapshots older than its newest {@code retain} scheduled ones. The
     * pending ones count (they complete, after a restart too) but are not deleted; manual ones are never touched.
     */
    void prune(String volumeId, int retain) throws IOException {
        List<SnapshotRecord> scheduled = snapshots.list().stream()
                .filter(r -> r.volumeId().equals(volumeId) && volumeId.equals(r.tags().get(SCHEDULE_TAG))
                        && r.state() != SnapshotRecord.State.ERROR)
                // The generation orders a volume's snapshots taken within one clock tick.
                .sorted(Comparator.comparing(SnapshotRecord::created)
                        .thenComparingLong(SnapshotRecord::generation).reversed())
                .toList();
        for (SnapshotRecord old : scheduled.subList(Math.min(retain, scheduled.size()), scheduled.size())) {
            if (old.state() == SnapshotRecord.State.COMPLETED) {
                snapshots.delete(old.snapshotId());
                LOG.info("Deleted scheduled snapshot {} of {}: beyond the {} retained", old.snapshotId(), volumeId,
                        retain);
            }
        }
    }

    /** Starts the daemon thread that runs the schedules as their times come. */
    public synchronized void start() {
        if (thread != null || closed) {
            throw new IllegalStateException(closed ? "the scheduler is closed" : "the scheduler already runs");
        }
        thread = new Thread(this::loop, "snapshot-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (true) {
            Instant ran = clock.instant();
            runDue(ran);
            synchronized (this) {
                if (closed) {
                    return;
                }
                // From the instant run, not from now: a run that came due during this run is not skipped.
                Instant now = clock.instant();
                Duration wait = nextRunAfter(ran).map(next -> Duration.between(now, next)).orElse(MAX_WAIT);
                try {
                    wait(Math.max(1, Math.min(wait.toMillis(), MAX_WAIT.toMillis())));
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Stops the thread, waiting for a run under way to finish. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            notifyAll();
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
