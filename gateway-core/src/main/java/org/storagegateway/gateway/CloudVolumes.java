package org.storagegateway.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.gateway.api.SnapshotOperations;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.config.ApplianceSettings.ScheduleSettings;
import org.storagegateway.gateway.snapshot.RecoveryPoints;
import org.storagegateway.gateway.snapshot.SnapshotCopier;
import org.storagegateway.gateway.snapshot.SnapshotManager;
import org.storagegateway.gateway.snapshot.SnapshotManifest;
import org.storagegateway.gateway.snapshot.SnapshotSchedule;
import org.storagegateway.gateway.snapshot.SnapshotScheduler;
import org.storagegateway.gateway.upload.Uploader;
import org.storagegateway.gateway.upload.UploaderSettings;

/**
 * The appliance's volumes in the cloud: the uploader that drains every cache volume's changes to the object store,
 * and the snapshots taken of them. Stored and cached volumes alike upload continuously, so a snapshot waits only for
 * what changed since the last upload.
 */
public final class CloudVolumes implements SnapshotOperations.Volumes, AutoCloseable {
    private final Uploader uploader;
    private final SnapshotManager snapshots;
    private final Map<String, SnapshotManager.Source> volumes;
    private final SnapshotScheduler schedules;
    private final RecoveryPoints recoveryPoints;
    private final SnapshotCopier.Side cloud;

    private CloudVolumes(Uploader uploader, SnapshotManager snapshots, Map<String, SnapshotManager.Source> volumes,
                         SnapshotScheduler schedules, RecoveryPoints recoveryPoints, SnapshotCopier.Side cloud) {
        this.uploader = uploader;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.schedules = schedules;
        this.recoveryPoints = recoveryPoints;
        this.cloud = cloud;
    }

    /**
     * Starts uploading {@code volumes} (by name), resumes the snapshots pending at the last stop and starts the
     * snapshot schedules (their hours in {@code zone}, the gateway's), {@code seeds} (by volume name) for volumes
     * without a stored one.
     */
    static CloudVolumes start(Path dataDirectory, BlockCache cache, CloudStore cloud,
                              Map<String, SnapshotManager.Source> volumes, Map<String, ScheduleSettings> seeds,
                              ZoneId zone) {
        Uploader uploader = new Uploader(cloud.chunks(), UploaderSettings.DEFAULTS,
                duration -> Thread.sleep(duration.toMillis()));
        try {
            SnapshotCopier.Side side = SnapshotCopier.Side.of(cloud);
            SnapshotManager snapshots = new SnapshotManager(dataDirectory, cache, uploader, side.manifests(),
                    Clock.systemUTC());
            Map<String, SnapshotManager.Source> byName = new ConcurrentHashMap<>();
            SnapshotScheduler schedules = new SnapshotScheduler(dataDirectory, zone, Clock.systemUTC(),
                    (volumeId, description, tags) -> snapshots.snapshot(byId(byName, volumeId).orElseThrow(
                            () -> new IllegalArgumentException("no cache volume has id " + volumeId)), description,
                            tags),
                    snapshots);
            RecoveryPoints recoveryPoints = new RecoveryPoints(snapshots, name -> Optional.ofNullable(
                    byName.get(name)).map(SnapshotManager.Source::volumeId), Clock.systemUTC(),
                    RecoveryPoints.DEFAULT_INTERVAL);
            CloudVolumes cloudVolumes = new CloudVolumes(uploader, snapshots, byName, schedules, recoveryPoints,
                    side);
            volumes.forEach((name, source) -> cloudVolumes.add(name, source));
            for (Map.Entry<String, ScheduleSettings> seed : seeds.entrySet()) {
                schedules.putIfAbsent(new SnapshotSchedule(volumes.get(seed.getKey()).volumeId(),
                        seed.getValue().startHour(), seed.getValue().recurrenceHours(), null, Map.of(),
                        seed.getValue().retain()));
            }
            uploader.addListener(recoveryPoints);
            uploader.start();
            schedules.start();
            return cloudVolumes;
        } catch (IOException e) {
            uploader.close();
            throw new UncheckedIOException("cannot read the snapshots kept in " + dataDirectory, e);
        } catch (RuntimeException e) {
            uploader.close();
            throw e;
        }
    }

    /** Starts uploading and snapshotting a volume opened while the appliance runs. */
    void add(String name, SnapshotManager.Source source) {
        if (byId(source.volumeId()).isPresent() || volumes.putIfAbsent(name, source) != null) {
            throw new IllegalStateException("volume " + name + " (" + source.volumeId() + ") is there already");
        }
        uploader.register(source.volume());
        snapshots.attach(source.volume());
    }

    /**
     * Stops uploading a volume about to be deleted (an upload under way finishes first) and drops its snapshot
     * schedule; its snapshots stay.
     */
    void remove(String name) throws IOException {
        SnapshotManager.Source source = volumes.remove(name);
        if (source != null) {
            schedules.delete(source.volumeId());
            snapshots.detach(name);
            uploader.unregister(name);
        }
    }

    /** The volume of that name, or an exception naming the ones there are. */
    public CachedVolume volume(String name) {
        return named(name).volume();
    }

    /** The volume's id in the bucket and the API. */
    public String volumeId(String name) {
        return named(name).volumeId();
    }

    private SnapshotManager.Source named(String name) {
        SnapshotManager.Source source = volumes.get(name);
        if (source == null) {
            throw new IllegalArgumentException("no cache volume " + name + "; there are " + volumes.keySet());
        }
        return source;
    }

    /** Snapshots one volume now (point in time); returns the snapshot's id at once, while it uploads. */
    public String snapshot(String volumeName, String description) throws IOException {
        return snapshots.snapshot(named(volumeName), description, Map.of());
    }

    /** Snapshots several volumes at one instant (volumes striped together must be captured together). */
    public List<String> snapshotGroup(List<String> volumeNames, String description) throws IOException {
        return snapshots.snapshotGroup(volumeNames.stream().map(this::named).toList(), description, Map.of());
    }

    private static Optional<SnapshotManager.Source> byId(Map<String, SnapshotManager.Source> volumes,
                                                         String volumeId) {
        return volumes.values().stream().filter(source -> source.volumeId().equals(volumeId)).findFirst();
    }

    /**
     * Copies a completed snapshot to another object store (another bucket, prefix, endpoint or encryption key), opened
     * for the copy and closed after; see {@link SnapshotCopier}.
     */
    public SnapshotCopier.Result copySnapshot(String snapshotId, ObjectStoreSettings destination) throws IOException {
        try (CloudStore target = CloudStore.open(destination)) {
            return new SnapshotCopier(cloud, SnapshotCopier.Side.of(target), SnapshotCopier.DEFAULT_CONCURRENCY)
                    .copy(snapshotId);
        }
    }

    /** The volume whose id is {@code volumeId}, as snapshots name it, or empty when there is none. */
    @Override
    public Optional<SnapshotManager.Source> source(String volumeId) {
        return byId(volumeId);
    }

    private Optional<SnapshotManager.Source> byId(String volumeId) {
        return byId(volumes, volumeId);
    }

    /** Every volume, as snapshots name them, by name. */
    @Override
    public List<SnapshotManager.Source> sources() {
        return volumes.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    /**
     * A volume's latest recovery point for a clone, renewed first when all its data is uploaded; empty when it has
     * none (or is not served).
     */
    public Optional<SnapshotManifest> latestRecoveryPoint(String volumeId) throws IOException {
        Optional<SnapshotManager.Source> source = byId(volumeId);
        return source.isEmpty() ? Optional.empty() : recoveryPoints.renewed(source.get(), uploader);
    }

    /** The cached volumes' recovery points (ListVolumeRecoveryPoints, TimeSinceLastRecoveryPoint). */
    @Override
    public RecoveryPoints recoveryPoints() {
        return recoveryPoints;
    }

    /** The volumes' snapshot schedules (behind UpdateSnapshotSchedule, DescribeSnapshotSchedule and kin). */
    @Override
    public SnapshotScheduler schedules() {
        return schedules;
    }

    @Override
    public SnapshotManager snapshots() {
        return snapshots;
    }

    public Uploader uploader() {
        return uploader;
    }

    @Override
    public void close() {
        schedules.close();
        uploader.close();
    }
}
