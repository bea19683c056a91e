package org.storagegateway.gateway;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheMetrics;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.gateway.api.ManagementState;
import org.storagegateway.gateway.api.VolumeView;
import org.storagegateway.gateway.snapshot.SnapshotRecord;
import org.storagegateway.gateway.status.StatusPage;
import org.storagegateway.gateway.upload.UploadCounters;

/** Gathers the appliance's state for the {@link StatusPage} at the moment it is asked for. */
final class ApplianceStatus {
    /** How many failed snapshots the page lists, newest first. */
    private static final int FAILED_SNAPSHOTS_SHOWN = 10;

    private final GatewayIdentity identity;
    private final String configuredName;
    private final ManagementState state;
    private final Portal portal;
    private final BlockCache cache;
    private final CloudVolumes cloudVolumes;
    private final RuntimeVolumes volumes;

    ApplianceStatus(GatewayIdentity identity, String configuredName, ManagementState state, Portal portal,
                    BlockCache cache, CloudVolumes cloudVolumes, RuntimeVolumes volumes) {
        this.identity = identity;
        this.configuredName = configuredName;
        this.state = state;
        this.portal = portal;
        this.cache = cache;
        this.cloudVolumes = cloudVolumes;
        this.volumes = volumes;
    }

    /** The page as of now. */
    String page() {
        return StatusPage.render(status(), Instant.now());
    }

    StatusPage.Status status() {
        List<StatusPage.Volume> rows = new ArrayList<>();
        long pending = 0;
        for (VolumeView volume : volumes.list()) {
            long dirty = 0;
            Instant recoveryPoint = null;
            if (cloudVolumes != null) {
                CachedVolume cached = cloudVolumes.volume(volume.name());
                dirty = cache.volumeUsage(cached)[1];
                if (!volume.stored()) {
                    recoveryPoint = latestRecoveryPoint(volume.volumeId());
                }
            }
            pending += dirty;
            rows.add(new StatusPage.Volume(volume.name(), volume.volumeId(), volume.stored() ? "stored" : "cached",
                    volume.sizeBytes(), volume.usedBytes(), dirty, volume.targetName(), volume.attached(),
                    recoveryPoint));
        }
        StatusPage.Cache cacheRow = null;
        if (cache != null) {
            CacheMetrics metrics = cache.metrics();
            cacheRow = new StatusPage.Cache(metrics.capacityBytes(), metrics.percentUsed(), metrics.percentDirty(),
                    metrics.hitPercent(), metrics.uploadBufferUsed(), metrics.uploadBufferBytes());
        }
        StatusPage.Uploads uploads = null;
        List<String> problems = new ArrayList<>();
        if (cloudVolumes != null) {
            UploadCounters counters = cloudVolumes.uploader().counters();
            uploads = new StatusPage.Uploads(counters.chunksUploaded(), counters.bytesUploaded(),
                    counters.failures(), pending);
            cloudVolumes.snapshots().list().stream().filter(record -> record.state() == SnapshotRecord.State.ERROR)
                    .sorted(Comparator.comparing(SnapshotRecord::created).reversed()).limit(FAILED_SNAPSHOTS_SHOWN)
                    .forEach(record -> problems.add("Snapshot " + record.snapshotId() + " of " + record.volumeId()
                            + " (" + record.created() + ") failed: " + record.error()));
        }
        if (!portal.running()) {
            problems.add(0, "The iSCSI portal is shut down (ShutdownGateway): initiators cannot log in.");
        }
        return new StatusPage.Status(identity.gatewayId(), state.gatewayName().orElse(configuredName),
                portal.running(), portal.running() ? "iSCSI on port " + portal.port() : "iSCSI portal shut down",
                portal.sessions(), rows, cacheRow, uploads,
                "This gateway serves volumes only: it has no tape library.", problems);
    }

    private Instant latestRecoveryPoint(String volumeId) {
        try {
            return cloudVolumes.recoveryPoints().latest(volumeId);
        } catch (IOException e) {
            return null;
        }
    }
}
