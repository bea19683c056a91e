package org.storagegateway.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.gateway.api.SnapshotOperations;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.config.ApplianceSettings.ScheduleSettings;
import org.storagegateway.gateway.snapshot.RecoveryPoints;
import org.storagegateway.gateway.snapshot.SnapshotCopier;
import org.storagegateway.gateway.snapshot.SnapshotManager;
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
    private final GatewayIdentity identity;
    private final Uploader uploader;
    private final SnapshotManager snapshots;
    private final Map<String, CachedVolume> volumes;
    private final SnapshotScheduler schedules;
    private final RecoveryPoints recoveryPoints;
    private final SnapshotCopier.Side cloud;

    private CloudVolumes(GatewayIdentity identity, Uploader uploader, SnapshotManager snapshots,
                         Map<String, CachedVolume> volumes, SnapshotScheduler schedules,
                         RecoveryPoints recoveryPoints, SnapshotCopier.Side cloud) {
        this.identity = identity;
        this.uploader = uploader;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.schedules = schedules;
        this.recoveryPoints = recoveryPoints;
        this.cloud = cloud;
    }

    /**
     * Starts uploading {@code volumes} (by name), resumes the snapshots pending at the last stop and starts the
     * snapshot schedules (their hours in UTC), {@code seeds} (by volume name) for volumes without a stored one.
     */
    static CloudVolumes start(Path dataDirectory, GatewayIdentity identity, BlockCache cache, CloudStore cloud,
                              Map<String, CachedVolume> volumes, Map<String, ScheduleSettings> seeds) {
        Uploader uploader = new Uploader(cloud.chunks(), UploaderSettings.DEFAULTS,
                duration -> Thread.sleep(duration.toMillis()));
        try {
            SnapshotCopier.Side side = SnapshotCopier.Side.of(cloud);
            SnapshotManager snapshots = new SnapshotManager(dataDirectory, cache, uploader, side.manifests(),
                    Clock.systemUTC());
            for (CachedVolume volume : volumes.values()) {
                uploader.register(volume);
                snapshots.attach(volume);
            }
            Map<String, CachedVolume> byName = new LinkedHashMap<>(volumes);
            SnapshotScheduler schedules = new SnapshotScheduler(dataDirectory, ZoneOffset.UTC, Clock.systemUTC(),
                    (volumeId, description, tags) -> snapshots.snapshot(source(identity, byName, volumeId),
                            description, tags), snapshots);
            for (Map.Entry<String, ScheduleSettings> seed : seeds.entrySet()) {
                schedules.putIfAbsent(new SnapshotSchedule(identity.volumeId(seed.getKey()),
                        seed.getValue().startHour(), seed.getValue().recurrenceHours(), null, Map.of(),
                        seed.getValue().retain()));
            }
            RecoveryPoints recoveryPoints = new RecoveryPoints(snapshots, name -> byName.containsKey(name)
                    ? Optional.of(identity.volumeId(name)) : Optional.empty(), Clock.systemUTC(),
                    RecoveryPoints.DEFAULT_INTERVAL);
            uploader.addListener(recoveryPoints);
            uploader.start();
            schedules.start();
            return new CloudVolumes(identity, uploader, snapshots, byName, schedules, recoveryPoints, side);
        } catch (IOException e) {
            uploader.close();
            throw new UncheckedIOException("cannot read the snapshots kept in " + dataDirectory, e);
        } catch (RuntimeException e) {
            uploader.close();
            throw e;
        }
    }

    /** The volume of that name, or an exception naming the ones there are. */
    public CachedVolume volume(String name) {
        CachedVolume volume = volumes.get(name);
        if (volume == null) {
            throw new IllegalArgumentException("no cache volume " + name + "; there are " + volumes.keySet());
        }
        return volume;
    }

    /** The volume's id in the bucket and the API. */
    public String volumeId(String name) {
        volume(name);
        return identity.volumeId(name);
    }

    /** Snapshots one volume now (point in time); returns the snapshot's id at once, while it uploads. */
    public String snapshot(String volumeName, String description) throws IOException {
        return snapshots.snapshot(new SnapshotManager.Source(volumeId(volumeName), volume(volumeName)), description,
                Map.of());
    }

    /** Snapshots several volumes at one instant (volumes striped together must be captured together). */
    public List<String> snapshotGroup(List<String> volumeNames, String description) throws IOException {
        return snapshots.snapshotGroup(volumeNames.stream()
                .map(name -> new SnapshotManager.Source(volumeId(name), volume(name))).toList(), description,
                Map.of());
    }

    private static SnapshotManager.Source source(GatewayIdentity identity, Map<String, CachedVolume> volumes,
                                                 String volumeId) {
        return volumes.entrySet().stream().filter(volume -> identity.volumeId(volume.getKey()).equals(volumeId))
                .findFirst().map(volume -> new SnapshotManager.Source(volumeId, volume.getValue()))
                .orElseThrow(() -> new IllegalArgumentException("no cache volume has id " + volumeId));
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
        try {
            return Optional.of(source(identity, volumes, volumeId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Every volume, as snapshots name them, in the order they were given. */
    @Override
    public List<SnapshotManager.Source> sources() {
        return volumes.keySet().stream().map(name -> new SnapshotManager.Source(identity.volumeId(name),
                volumes.get(name))).toList();
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
