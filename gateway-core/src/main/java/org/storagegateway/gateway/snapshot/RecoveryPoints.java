package org.storagegateway.gateway.snapshot;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.upload.Uploader;

/**
 * Writes each cached volume's recovery point: its uploaded state at an instant when nothing of it was dirty, so the
 * remote references are exactly the volume's content then (crash-consistent, like a snapshot). It runs after an
 * upload pass, when no upload of the volume is under way and its references cannot change, and at most once per
 * interval per volume: a busy volume that is never clean keeps its last recovery point, which ages (reported as
 * TimeSinceLastRecoveryPoint). Stored volumes have every byte locally and need none.
 */
public final class RecoveryPoints implements Uploader.PassListener {
    /** How often a clean cached volume's recovery point is renewed by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);
    /** How long a renewal waits for an upload pass under way (during an outage a pass can take minutes). */
    static final Duration RENEW_PATIENCE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryPoints.class);

    private final SnapshotManager snapshots;
    private final Function<String, Optional<String>> volumeIds;
    private final Clock clock;
    private final Duration interval;
    /** Per volume id, what is known of its latest recovery point (empty: it has none), so a pass reads it once. */
    private final Map<String, Optional<Instant>> latest = new ConcurrentHashMap<>();

    /** {@code volumeIds}: a cache volume's name to its volume id, empty for volumes this gateway does not serve. */
    public RecoveryPoints(SnapshotManager snapshots, Function<String, Optional<String>> volumeIds, Clock clock,
                          Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the recovery point interval cannot be negative: " + interval);
        }
        this.snapshots = snapshots;
        this.volumeIds = volumeIds;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public void afterPass(CachedVolume volume) throws IOException {
        if (volume.mode() != VolumeMode.CACHED) {
            return;
        }
        Optional<String> volumeId = volumeIds.apply(volume.name());
        if (volumeId.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Instant last = latest(volumeId.get());
        if (last != null && now.isBefore(last.plus(interval)) || Uploader.pending(volume, Long.MAX_VALUE) > 0) {
            return;
        }
        ManifestStore.WriteResult result = snapshots.writeRecoveryPoint(new SnapshotManager.Source(volumeId.get(),
                volume));
        latest.put(volumeId.get(), Optional.of(result.manifest().createdAt()));
        LOG.debug("Recovery point of {}: {} chunks", volumeId.get(), result.manifest().chunkCount());
    }

    /**
     * The volume's latest recovery point, renewed first when everything it holds is uploaded (a clone then copies
     * the volume as it is now) and no upload pass holds it longer than {@link #RENEW_PATIENCE}; empty when it has
     * none.
     */
    public Optional<SnapshotManifest> renewed(SnapshotManager.Source source, Uploader uploader) throws IOException {
        CachedVolume volume = source.volume();
        if (volume.mode() == VolumeMode.CACHED) {
            uploader.betweenPasses(volume.name(), RENEW_PATIENCE, () -> {
                if (Uploader.pending(volume, Long.MAX_VALUE) == 0) {
                    ManifestStore.WriteResult result = snapshots.writeRecoveryPoint(source);
                    latest.put(source.volumeId(), Optional.of(result.manifest().createdAt()));
                }
            });
        }
        return snapshots.recoveryPoint(source.volumeId());
    }

    /** When the volume's latest recovery point was taken, or null when it has none. */
    public Instant latest(String volumeId) throws IOException {
        Optional<Instant> known = latest.get(volumeId);
        if (known == null) {
            known = snapshots.recoveryPoint(volumeId).map(SnapshotManifest::createdAt);
            latest.put(volumeId, known);
        }
        return known.orElse(null);
    }
}
