package org.storagegateway.gateway;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.api.VolumeOperations;
import org.storagegateway.gateway.api.VolumeView;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.metrics.MeteredBlockDevice;
import org.storagegateway.gateway.snapshot.ResourceIds;
import org.storagegateway.gateway.snapshot.SnapshotManager;
import org.storagegateway.gateway.snapshot.SnapshotManifest;
import org.storagegateway.gateway.snapshot.SnapshotRecord;
import org.storagegateway.gateway.volume.RemoteChunkSource;
import org.storagegateway.gateway.volume.VolumeCatalog;
import org.storagegateway.gateway.volume.VolumeCatalog.Entry;
import org.storagegateway.gateway.volume.VolumeCatalog.State;
import org.storagegateway.gateway.volume.VolumeException;
import org.storagegateway.gateway.volume.VolumeException.Reason;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.copy.CopyTargets;
import org.storagegateway.scsi.sbc.BlockGeometry;
import org.storagegateway.scsi.sbc.DiskUnit;

/**
 * The gateway's cloud volumes as the management API sees them: the configuration file's cache volumes, and volumes
 * made and deleted while the appliance runs, each on an iSCSI target of its own (LUN 0). Made volumes are kept in a
 * {@link VolumeCatalog}; a restart serves them again and finishes a creation or deletion a crash interrupted.
 */
final class RuntimeVolumes implements VolumeOperations.Volumes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeVolumes.class);
    /** Made volumes' sectors, as AWS's volumes have them. */
    private static final BlockGeometry GEOMETRY = new BlockGeometry(512, 512);
    private static final Duration SESSION_END_WAIT = Duration.ofSeconds(10);

    /** A cache volume the configuration file defines. */
    record Configured(String name, String volumeId, String targetName, int lun, CachedVolume volume) {
    }

    /** Told when volumes come and go, so that metrics follow them. */
    interface Listener {
        void added(String name, MeteredBlockDevice device);

        void removed(String name);
    }

    /** A made volume being served. */
    private record Served(Entry entry, CachedVolume volume, MeteredBlockDevice device) {
    }

    private final VolumeCatalog catalog;
    private final GatewayIdentity identity;
    private final BlockCache cache;
    private final CloudStore cloud;
    private final TargetCatalog targets;
    private final CopyTargets copyTargets;
    private final int maxTransferBytes;
    private final Map<String, Configured> configured = new LinkedHashMap<>();
    private final Map<String, Served> served = new LinkedHashMap<>();
    /** The unit serving each attached made volume now, by name: a detached volume has none. */
    private final Map<String, DiskUnit> units = new LinkedHashMap<>();
    private CloudVolumes cloudVolumes;
    private Portal portal;
    private Listener listener;

    private RuntimeVolumes(VolumeCatalog catalog, GatewayIdentity identity, BlockCache cache, CloudStore cloud,
                           TargetCatalog targets, CopyTargets copyTargets, int maxTransferBytes,
                           List<Configured> configuredVolumes) {
        this.catalog = catalog;
        this.identity = identity;
        this.cache = cache;
        this.cloud = cloud;
        this.targets = targets;
        this.copyTargets = copyTargets;
        this.maxTransferBytes = maxTransferBytes;
        configuredVolumes.forEach(volume -> configured.put(volume.name(), volume));
    }

    /**
     * Serves the made volumes of {@code catalog} (their targets join {@code targets}) and finishes the deletions a
     * crash interrupted; creations it interrupted are finished by {@link #start}. {@code cache} and {@code cloud}
     * are null on a gateway whose configuration uses no cache and that has no made volume.
     */
    static RuntimeVolumes open(VolumeCatalog catalog, GatewayIdentity identity, BlockCache cache, CloudStore cloud,
                               TargetCatalog targets, CopyTargets copyTargets, int maxTransferBytes,
                               List<Configured> configuredVolumes) throws IOException {
        RuntimeVolumes volumes = new RuntimeVolumes(catalog, identity, cache, cloud, targets, copyTargets,
                maxTransferBytes, configuredVolumes);
        try {
            for (Entry entry : catalog.all()) {
                if (volumes.configured.containsKey(entry.name())) {
                    throw new IllegalStateException("volume " + entry.name() + " (" + entry.volumeId() + "), made "
                            + "through the API, has the name of a cache volume in the configuration file; rename "
                            + "that one");
                }
                if (entry.state() == State.AVAILABLE) {
                    CachedVolume volume = volumes.openVolume(entry);
                    if (entry.stored()) {
                        // Finishes copying in the snapshot it was made from, if the last stop came first.
                        volume.hydrateInBackground(() -> LOG.debug("Volume {} holds all its data locally",
                                entry.name()));
                    }
                    volumes.serve(entry, volume);
                } else if (entry.state() == State.DELETING) {
                    volumes.dropData(entry);
                }
            }
            return volumes;
        } catch (IOException | RuntimeException e) {
            volumes.close();
            throw e;
        }
    }

    /** The made volumes served now, for the uploader and snapshots to start with. */
    synchronized Map<String, SnapshotManager.Source> sources() {
        Map<String, SnapshotManager.Source> sources = new LinkedHashMap<>();
        served.forEach((name, volume) -> sources.put(name, new SnapshotManager.Source(volume.entry().volumeId(),
                volume.volume())));
        return sources;
    }

    /** Every made volume's device, by name, for metrics. */
    synchronized Map<String, MeteredBlockDevice> devices() {
        Map<String, MeteredBlockDevice> devices = new LinkedHashMap<>();
        served.forEach((name, volume) -> devices.put(name, volume.device()));
        return devices;
    }

    /**
     * Joins the uploader and snapshots (null when there is no cache) and the portal, then makes again the volumes a
     * crash caught half made: nobody has seen them, so they start over from their source.
     */
    synchronized void start(CloudVolumes uploading, Portal servingPortal) {
        this.cloudVolumes = uploading;
        this.portal = servingPortal;
        for (Entry entry : catalog.all()) {
            if (entry.state() != State.CREATING) {
                continue;
            }
            try {
                dropData(entry);
                create(entry, source(entry.sourceSnapshotId(), entry.sourceVolumeId(), entry.sizeBytes()));
                LOG.info("Volume {} ({}), made when the gateway stopped, is made now", entry.name(),
                        entry.volumeId());
            } catch (IOException | VolumeException | RuntimeException e) {
                LOG.error("Volume {} ({}) was being made when the gateway stopped and cannot be made now: {}",
                        entry.name(), entry.volumeId(), e.getMessage());
            }
        }
    }

    synchronized void listen(Listener newListener) {
        this.listener = newListener;
    }

    @Override
    public synchronized List<VolumeView> list() {
        List<VolumeView> views = new ArrayList<>();
        configured.values().forEach(volume -> views.add(view(volume)));
        served.values().forEach(volume -> views.add(view(volume)));
        return views;
    }

    @Override
    public synchronized Optional<VolumeView> find(String volumeId) {
        return list().stream().filter(view -> view.volumeId().equals(volumeId)).findFirst();
    }

    private VolumeView view(Configured volume) {
        return new VolumeView(volume.volumeId(), volume.name(), volume.volume().mode() == VolumeMode.STORED,
                volume.volume().size(), cache.volumeUsage(volume.volume())[0], volume.targetName(), volume.lun(),
                null, null, 0, true, true);
    }

    private VolumeView view(Served volume) {
        Entry entry = volume.entry();
        return new VolumeView(entry.volumeId(), entry.name(), entry.stored(), volume.volume().size(),
                cache.volumeUsage(volume.volume())[0], entry.targetName(), 0, entry.networkInterface(),
                entry.sourceSnapshotId(), entry.createdAt(), false, !entry.detached());
    }

    @Override
    public synchronized VolumeView create(VolumeOperations.NewVolume request) throws VolumeException {
        if (cache == null || cloudVolumes == null) {
            throw new VolumeException(Reason.NO_CACHE, "this gateway has no cache: its configuration has no "
                    + "cache-backed disk, so it holds no cloud volumes");
        }
        Optional<Entry> same = catalog.all().stream()
                .filter(entry -> entry.clientToken() != null && entry.clientToken().equals(request.clientToken()))
                .findFirst();
        if (same.isPresent()) {
            if (!same.get().name().equals(request.name()) || same.get().sizeBytes() != request.sizeBytes()
                    || same.get().stored() != request.stored()) {
                throw new VolumeException(Reason.INVALID, "ClientToken " + request.clientToken()
                        + " was used to make volume " + same.get().volumeId() + " with other parameters");
            }
            Served existing = served.get(request.name());
            if (existing == null) {
                throw new VolumeException(Reason.VOLUME_NOT_READY, "the volume ClientToken "
                        + request.clientToken() + " made, " + same.get().volumeId() + ", is not served");
            }
            return view(existing);
        }
        String targetName = VolumeOperations.TARGET_PREFIX + request.name();
        if (configured.containsKey(request.name()) || catalog.byName(request.name()).isPresent()
                || targets.find(targetName).isPresent()) {
            throw new VolumeException(Reason.TARGET_EXISTS, "the target " + targetName + " exists already");
        }
        SnapshotManifest source = source(request.snapshotId(), request.sourceVolumeId(), request.sizeBytes());
        long size = request.sizeBytes() > 0 ? request.sizeBytes() : source.volumeSize();
        Entry entry = new Entry(request.name(), ResourceIds.newVolumeId(), request.stored(), size, targetName,
                request.networkInterface(), request.snapshotId(), request.sourceVolumeId(), request.clientToken(),
                Clock.systemUTC().millis(), State.CREATING, false);
        try {
            return view(create(entry, source));
        } catch (IOException e) {
            throw new VolumeException(Reason.INVALID, "volume " + request.name() + " could not be made: "
                    + e.getMessage());
        }
    }

    /**
     * The manifest a new volume is filled from (a snapshot's, or a volume's latest recovery point), or null for a
     * blank volume; refuses a source that does not exist or is larger than {@code sizeBytes} (0: any size).
     */
    private SnapshotManifest source(String snapshotId, String sourceVolumeId, long sizeBytes)
            throws VolumeException {
        try {
            SnapshotManifest manifest;
            String what;
            if (snapshotId != null) {
                manifest = cloudVolumes.snapshots().completed(snapshotId).orElseThrow(() -> new VolumeException(
                        Reason.SNAPSHOT_NOT_FOUND, "no completed snapshot " + snapshotId
                        + " is in the object store"));
                what = "snapshot " + snapshotId;
            } else if (sourceVolumeId != null) {
                manifest = recoveryPoint(sourceVolumeId);
                what = "volume " + sourceVolumeId;
            } else {
                return null;
            }
            if (sizeBytes > 0 && sizeBytes < manifest.volumeSize()) {
                throw new VolumeException(Reason.INVALID, "VolumeSizeInBytes " + sizeBytes + " is smaller than "
                        + what + " (" + manifest.volumeSize() + " bytes)");
            }
            return manifest;
        } catch (IOException e) {
            throw new VolumeException(Reason.INVALID, "the source could not be read: " + e.getMessage());
        }
    }

    private SnapshotManifest recoveryPoint(String sourceVolumeId) throws IOException, VolumeException {
        VolumeView source = find(sourceVolumeId).orElseThrow(() -> new VolumeException(Reason.VOLUME_NOT_FOUND,
                "no volume of this gateway has id " + sourceVolumeId));
        if (source.stored()) {
            throw new VolumeException(Reason.INVALID, "volume " + sourceVolumeId + " is a stored volume; only "
                    + "cached volumes have recovery points to clone");
        }
        return cloudVolumes.latestRecoveryPoint(sourceVolumeId).orElseThrow(() -> new VolumeException(
                Reason.VOLUME_NOT_READY, "volume " + sourceVolumeId + " has no recovery point yet: one is "
                + "written once its data has uploaded"));
    }

    /** Records, makes, fills and serves a volume; on failure nothing of it is left. */
    private Served create(Entry entry, SnapshotManifest source) throws IOException {
        catalog.add(entry);
        CachedVolume volume = null;
        try {
            volume = openVolume(entry);
            if (source != null) {
                cloudVolumes.snapshots().restore(source, volume);
            }
            Entry available = catalog.update(entry.name(), State.AVAILABLE);
            Served made = serve(available, volume);
            LOG.info("Made {} volume {} ({}, {} bytes{}) on target {}", entry.stored() ? "stored" : "cached",
                    entry.name(), entry.volumeId(),
                    entry.sizeBytes(), entry.sourceSnapshotId() != null ? ", from " + entry.sourceSnapshotId()
                            : entry.sourceVolumeId() != null ? ", cloned from " + entry.sourceVolumeId() : "",
                    entry.targetName());
            return made;
        } catch (IOException | RuntimeException e) {
            if (volume != null && !served.containsKey(entry.name())) {
                volume.close();
            }
            unserve(entry.name());
            dropData(entry);
            throw e;
        }
    }

    private CachedVolume openVolume(Entry entry) throws IOException {
        return cache.openVolume(entry.name(), entry.sizeBytes(),
                entry.stored() ? VolumeMode.STORED : VolumeMode.CACHED, new RemoteChunkSource(cloud.chunks()));
    }

    private Served serve(Entry entry, CachedVolume volume) {
        MeteredBlockDevice device = new MeteredBlockDevice(volume);
        Served made = new Served(entry, volume, device);
        served.put(entry.name(), made);
        if (cloudVolumes != null) {
            cloudVolumes.add(entry.name(), new SnapshotManager.Source(entry.volumeId(), volume));
        }
        if (!entry.detached()) {
            targets.add(target(made));
        }
        if (listener != null) {
            listener.added(entry.name(), device);
        }
        return made;
    }

    private TargetDefinition target(Served volume) {
        Entry entry = volume.entry();
        DiskUnit unit = new DiskUnit(volume.device(), GEOMETRY, maxTransferBytes,
                identity.logicalUnit(entry.volumeId(), 0), Appliance.VENDOR, Appliance.PRODUCT, Appliance.REVISION,
                false, copyTargets);
        units.put(entry.name(), unit);
        return new TargetDefinition(entry.targetName(), null, Set.of(), ChapPolicy.NONE,
                ScsiTarget.builder().logicalUnit(0, unit).build());
    }

    /** Takes a volume's target away: no new logins, the sessions in it end, EXTENDED COPY no longer reaches it. */
    private void withdrawTarget(Entry entry) {
        targets.remove(entry.targetName());
        DiskUnit unit = units.remove(entry.name());
        if (unit != null) {
            unit.withdrawFromCopies();
        }
        if (portal != null) {
            portal.endSessions(entry.targetName(), SESSION_END_WAIT);
        }
    }

    /** A made volume by id, or why there is none to change. */
    private Served madeVolume(String volumeId) throws VolumeException {
        if (configured.values().stream().anyMatch(volume -> volume.volumeId().equals(volumeId))) {
            throw new VolumeException(Reason.CONFIGURED, "volume " + volumeId + " is defined in the "
                    + "configuration file; change it there");
        }
        return served.values().stream().filter(volume -> volume.entry().volumeId().equals(volumeId)).findFirst()
                .orElseThrow(() -> new VolumeException(Reason.VOLUME_NOT_FOUND, "no volume has id " + volumeId));
    }

    @Override
    public synchronized void detach(String volumeId, boolean force) throws VolumeException {
        Served volume = madeVolume(volumeId);
        Entry entry = volume.entry();
        if (entry.detached()) {
            throw new VolumeException(Reason.INVALID, "volume " + volumeId + " is detached already");
        }
        if (!force && portal != null && !portal.initiatorsOf(entry.targetName()).isEmpty()) {
            throw new VolumeException(Reason.VOLUME_IN_USE, "initiators are logged in to " + entry.targetName()
                    + ": log them out, or detach with ForceDetach");
        }
        try {
            Entry detached = catalog.replace(entry.attachedTo(entry.targetName(), entry.networkInterface(), true));
            withdrawTarget(entry);
            served.put(entry.name(), new Served(detached, volume.volume(), volume.device()));
            LOG.info("Detached volume {} ({}) from {}; it keeps uploading", entry.name(), volumeId,
                    entry.targetName());
        } catch (IOException e) {
            throw new VolumeException(Reason.INVALID, "volume " + volumeId + " could not be detached: "
                    + e.getMessage());
        }
    }

    @Override
    public synchronized VolumeView attach(String volumeId, String targetName, String networkInterface)
            throws VolumeException {
        Served volume = madeVolume(volumeId);
        Entry entry = volume.entry();
        if (!entry.detached()) {
            throw new VolumeException(Reason.INVALID, "volume " + volumeId + " is attached to "
                    + entry.targetName() + "; detach it first");
        }
        String target = targetName == null ? entry.targetName() : VolumeOperations.TARGET_PREFIX + targetName;
        if (targets.find(target).isPresent()) {
            throw new VolumeException(Reason.TARGET_EXISTS, "the target " + target + " exists already");
        }
        try {
            Served attached = new Served(catalog.replace(entry.attachedTo(target, networkInterface, false)),
                    volume.volume(), volume.device());
            targets.add(target(attached));
            served.put(entry.name(), attached);
            LOG.info("Attached volume {} ({}) to {}", entry.name(), volumeId, target);
            return view(attached);
        } catch (IOException e) {
            throw new VolumeException(Reason.INVALID, "volume " + volumeId + " could not be attached: "
                    + e.getMessage());
        }
    }

    @Override
    public synchronized void delete(String volumeId) throws VolumeException {
        Entry entry = madeVolume(volumeId).entry();
        if (cloudVolumes != null && cloudVolumes.snapshots().list().stream().anyMatch(record ->
                record.volumeId().equals(volumeId) && record.state() == SnapshotRecord.State.PENDING)) {
            throw new VolumeException(Reason.VOLUME_IN_USE, "a snapshot of volume " + volumeId + " is under way; "
                    + "delete the volume once it has completed");
        }
        try {
            catalog.update(entry.name(), State.DELETING);
            unserve(entry.name());
            dropData(entry);
            LOG.info("Deleted volume {} ({}); its snapshots stay", entry.name(), volumeId);
        } catch (IOException e) {
            throw new VolumeException(Reason.INVALID, "volume " + volumeId + " could not be deleted: "
                    + e.getMessage() + "; the gateway finishes deleting it when it next starts");
        }
    }

    /** Stops serving a volume: its target goes, its sessions end, its uploads stop and it closes. */
    private void unserve(String name) throws IOException {
        Served volume = served.remove(name);
        if (volume == null) {
            return;
        }
        withdrawTarget(volume.entry());
        if (listener != null) {
            listener.removed(name);
        }
        if (cloudVolumes != null) {
            cloudVolumes.remove(name);
        }
        volume.volume().close();
    }

    /** Drops a volume's data from the cache (if it got that far) and its record. */
    private void dropData(Entry entry) throws IOException {
        if (cache != null && cache.hasVolume(entry.name())) {
            cache.deleteVolume(entry.name());
        }
        catalog.remove(entry.name());
    }

    @Override
    public synchronized List<String> initiators(String volumeId) throws VolumeException {
        VolumeView volume = find(volumeId).orElseThrow(() -> new VolumeException(Reason.VOLUME_NOT_FOUND,
                "no volume has id " + volumeId));
        return portal == null ? List.of() : portal.initiatorsOf(volume.targetName());
    }

    @Override
    public boolean chapEnabled(String targetName) {
        return targets.find(targetName).map(target -> target.chap().required()
                || !target.initiatorChap().isEmpty()).orElse(false);
    }

    @Override
    public synchronized int portalPort() {
        return portal == null ? -1 : portal.port();
    }

    /** Flushes and closes the made volumes (the portal has stopped by now). */
    @Override
    public synchronized void close() {
        for (Served volume : served.values()) {
            try {
                volume.device().flush();
            } catch (IOException | RuntimeException e) {
                LOG.error("Flushing volume {} failed: {}", volume.entry().name(), e.getMessage(), e);
            }
            volume.volume().close();
        }
        served.clear();
    }
}
