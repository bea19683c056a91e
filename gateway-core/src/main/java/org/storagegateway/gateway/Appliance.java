package org.storagegateway.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.api.ApiKeys;
import org.storagegateway.gateway.api.ManagementState;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.ScheduleSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.metrics.MeteredBlockDevice;
import org.storagegateway.gateway.snapshot.SnapshotManager;
import org.storagegateway.gateway.volume.RemoteChunkSource;
import org.storagegateway.gateway.volume.VolumeCatalog;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.login.PortalAddress;
import org.storagegateway.iscsi.server.IscsiServer;
import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.block.BlockDevice;
import org.storagegateway.scsi.block.FileBlockDevice;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.copy.CopyTargets;
import org.storagegateway.scsi.sbc.DiskUnit;

/**
 * The running appliance: the disks and targets of a configuration behind one iSCSI portal. {@link #close()} stops the
 * portal first (so no command is in flight), then flushes and closes the disks.
 */
public final class Appliance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);
    static final String VENDOR = "SGW";
    static final String PRODUCT = "Gateway volume";
    static final String REVISION = "0100";
    /** Where the embedded S3 server's key pair is kept, in the data directory. */
    static final String EMBEDDED_S3_KEYS = "s3-credentials";

    private final Portal server;
    private final List<BlockDevice> devices;
    private final BlockCache cache;
    private final List<String> targetNames;
    private final ManagementEndpoints management;
    private final CloudStore cloud;
    private final CloudVolumes cloudVolumes;
    private final RuntimeVolumes runtimeVolumes;

    private Appliance(Portal server, List<BlockDevice> devices, BlockCache cache, CloudStore cloud,
                      CloudVolumes cloudVolumes, RuntimeVolumes runtimeVolumes, List<String> targetNames,
                      ManagementEndpoints management) {
        this.runtimeVolumes = runtimeVolumes;
        this.server = server;
        this.devices = devices;
        this.cache = cache;
        this.targetNames = targetNames;
        this.management = management;
        this.cloud = cloud;
        this.cloudVolumes = cloudVolumes;
    }

    /** Opens every disk, starts the portal and logs what it serves; on any failure, releases what it opened. */
    public static Appliance start(ApplianceSettings settings) {
        List<BlockDevice> devices = new ArrayList<>();
        Map<String, MeteredBlockDevice> volumes = new LinkedHashMap<>();
        BlockCache cache = null;
        CloudStore cloud = null;
        CloudVolumes cloudVolumes = null;
        RuntimeVolumes runtimeVolumes = null;
        Map<String, SnapshotManager.Source> cacheVolumes = new LinkedHashMap<>();
        List<RuntimeVolumes.Configured> configured = new ArrayList<>();
        Map<String, ScheduleSettings> schedules = new LinkedHashMap<>();
        Portal server = null;
        try {
            VolumeCatalog made = VolumeCatalog.open(settings.dataDirectory());
            cache = openCacheIfUsed(settings, made);
            cloud = cache == null ? null : openCloud(settings);
            GatewayIdentity identity = GatewayIdentity.loadOrCreate(settings.dataDirectory());
            TargetCatalog catalog = new TargetCatalog();
            // One registry for every disk, so that EXTENDED COPY copies between volumes of different targets too.
            CopyTargets copyTargets = new CopyTargets();
            List<String> names = new ArrayList<>();
            for (TargetSettings target : settings.targets()) {
                ScsiTarget.Builder scsiTarget = ScsiTarget.builder();
                for (DiskSettings disk : target.luns()) {
                    BlockDevice opened = open(settings.dataDirectory(), disk, cache, cloud);
                    if (opened instanceof CachedVolume volume) {
                        String volumeId = identity.volumeId(disk.volume());
                        cacheVolumes.put(disk.volume(), new SnapshotManager.Source(volumeId, volume));
                        configured.add(new RuntimeVolumes.Configured(disk.volume(), volumeId, target.name(),
                                disk.lun(), volume));
                        if (disk.snapshotSchedule() != null) {
                            schedules.put(disk.volume(), disk.snapshotSchedule());
                        }
                    }
                    MeteredBlockDevice device = new MeteredBlockDevice(opened);
                    devices.add(device);
                    volumes.put(disk.volume() != null ? disk.volume() : target.name() + "/lun" + disk.lun(), device);
                    scsiTarget.logicalUnit(disk.lun(), new DiskUnit(device, disk.geometry(),
                            (int) settings.maxTransferBytes(), identity.logicalUnit(target.name(), disk.lun()),
                            VENDOR, PRODUCT, REVISION, disk.readOnly(), copyTargets));
                }
                catalog.add(new TargetDefinition(target.name(), target.alias(), target.allowedInitiators(),
                        target.chap(), scsiTarget.build()));
                names.add(target.name());
            }
            runtimeVolumes = RuntimeVolumes.open(made, identity, cache, cloud, catalog, copyTargets,
                    (int) settings.maxTransferBytes(), configured);
            ManagementState state = ManagementEndpoints.restore(settings, identity, catalog);
            if (cloud != null) {
                cacheVolumes.putAll(runtimeVolumes.sources());
                cloudVolumes = CloudVolumes.start(settings.dataDirectory(), cache, cloud, cacheVolumes, schedules,
                        ManagementEndpoints.zone(state));
            }
            server = new Portal(address -> IscsiServer.builder()
                    .bind(address)
                    .catalog(catalog)
                    .loginSettings(LoginSettings.defaults())
                    .portals(advertised(settings))
                    .maxTransferLength((int) settings.maxTransferBytes()),
                    new InetSocketAddress(settings.bindAddress(), settings.port()));
            runtimeVolumes.start(cloudVolumes, server);
            volumes.putAll(runtimeVolumes.devices());
            ManagementEndpoints management = ManagementEndpoints.start(settings, identity, state, catalog, cache,
                    cloud, cloudVolumes, runtimeVolumes, volumes, server);
            Appliance appliance = new Appliance(server, devices, cache, cloud, cloudVolumes, runtimeVolumes,
                    List.copyOf(names), management);
            for (TargetSettings target : settings.targets()) {
                for (DiskSettings disk : target.luns()) {
                    LOG.info("Serving {} LUN {}: {} bytes, {}-byte blocks{}, {}{}", target.name(), disk.lun(),
                            disk.sizeBytes(), disk.blockSize(), disk.physicalBlockSize() == disk.blockSize() ? ""
                                    : " on " + disk.physicalBlockSize() + "-byte physical blocks",
                            disk.backing().inCache() ? (disk.backing() == Backing.CACHED ? "cached" : "stored")
                                    + " volume " + disk.volume()
                                    : disk.backing().name().toLowerCase(), disk.readOnly() ? ", read-only" : "");
                }
            }
            return appliance;
        } catch (InterruptedException | IOException | RuntimeException | Error e) {
            // Whatever stopped the start, what it opened is released before the failure goes up.
            closeServer(server);
            closeVolumes(cloudVolumes, runtimeVolumes);
            closeAll(devices, cache, cloud);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open the volumes made through the API: " + io.getMessage(), io);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Opens and checks the object store; the embedded server's secret, when the configuration gives none, is made on
     * first start and kept in the data directory for the AWS CLI.
     */
    private static CloudStore openCloud(ApplianceSettings settings) {
        ObjectStoreSettings objectStore = settings.objectStore();
        if (objectStore.embedded() != null && objectStore.embedded().secretKey() == null) {
            Path file = settings.dataDirectory().resolve(EMBEDDED_S3_KEYS);
            String secret = ApiKeys.loadOrCreate(file, ObjectStoreSettings.EMBEDDED_ACCESS_KEY,
                    "The embedded S3 server's access key").get(ObjectStoreSettings.EMBEDDED_ACCESS_KEY);
            if (secret == null) {
                throw new IllegalStateException(file + " holds another key than "
                        + ObjectStoreSettings.EMBEDDED_ACCESS_KEY + "; delete it to have it made again");
            }
            objectStore = objectStore.withEmbeddedSecret(secret);
        }
        return CloudStore.open(objectStore);
    }

    /** Opens the cache when a configured disk or a volume made through the API lives in it. */
    private static BlockCache openCacheIfUsed(ApplianceSettings settings, VolumeCatalog made) {
        boolean used = settings.targets().stream().flatMap(target -> target.luns().stream())
                .anyMatch(disk -> disk.backing().inCache());
        if (!used && made.all().isEmpty()) {
            return null;
        }
        try {
            return BlockCache.open(settings.cache());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the cache in " + settings.cache().directory(), e);
        }
    }

    private static List<PortalAddress> advertised(ApplianceSettings settings) {
        if (settings.advertise().isEmpty()) {
            // A port of 0 is resolved by the server once bound; SendTargets then reports the real one.
            return List.of();
        }
        List<PortalAddress> portals = new ArrayList<>();
        for (String address : settings.advertise()) {
            int colon = address.lastIndexOf(':');
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            portals.add(new PortalAddress(host, Integer.parseInt(address.substring(colon + 1)), 1));
        }
        return portals;
    }

    private static BlockDevice open(Path dataDirectory, DiskSettings disk, BlockCache cache, CloudStore cloud) {
        return switch (disk.backing()) {
            // A stored volume reads from the object store only what a restore from a snapshot left there.
            case CACHE -> openVolume(cache, disk, VolumeMode.STORED, new RemoteChunkSource(cloud.chunks()));
            case CACHED -> openVolume(cache, disk, VolumeMode.CACHED, new RemoteChunkSource(cloud.chunks()));
            case MEMORY -> new MemoryBlockDevice(disk.sizeBytes());
            case FILE -> {
                Path file = dataDirectory.resolve(disk.file());
                try {
                    Files.createDirectories(file.getParent());
                    yield FileBlockDevice.open(file, disk.sizeBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the backing file " + file, e);
                }
            }
        };
    }

    private static CachedVolume openVolume(BlockCache cache, DiskSettings disk, VolumeMode mode,
                                           RemoteChunkSource source) {
        try {
            CachedVolume volume = cache.openVolume(disk.volume(), disk.sizeBytes(), mode, source);
            if (mode == VolumeMode.STORED) {
                // Finishes copying in a snapshot restored before the last stop; costs a look-up per chunk otherwise.
                volume.hydrateInBackground(() -> LOG.debug("Volume {} holds all its data locally", disk.volume()));
            }
            return volume;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open volume " + disk.volume() + ": " + e.getMessage(), e);
        }
    }

    /** The port the portal listens on (the real one when the configuration asked for 0). */
    public int port() {
        return server.port();
    }

    /** The names of the targets served. */
    public List<String> targetNames() {
        return targetNames;
    }

    /** The management API's port (the real one when the configuration asked for 0), or -1 when it is off. */
    public int managementPort() {
        return management.apiPort();
    }

    /** The metrics endpoint's port, or -1 when it is off. */
    public int metricsPort() {
        return management.metricsPort();
    }

    /** The uploader and snapshots of the cache volumes, when there are any. */
    public Optional<CloudVolumes> volumes() {
        return Optional.ofNullable(cloudVolumes);
    }

    /** The object store, when a disk uses the cache (every cache volume's data and snapshots go there). */
    public Optional<CloudStore> cloud() {
        return Optional.ofNullable(cloud);
    }

    /** The block cache, when a disk uses it. */
    public Optional<BlockCache> cache() {
        return Optional.ofNullable(cache);
    }

    @Override
    public void close() {
        management.close();
        server.close();
        closeVolumes(cloudVolumes, runtimeVolumes);
        closeAll(devices, cache, cloud);
    }

    /** Stops uploads and snapshots, then closes the volumes made through the API. */
    private static void closeVolumes(CloudVolumes volumes, RuntimeVolumes runtime) {
        if (volumes != null) {
            volumes.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private static void closeServer(Portal server) {
        if (server != null) {
            server.close();
        }
    }

    private static void closeAll(List<BlockDevice> devices, BlockCache cache, CloudStore cloud) {
        for (BlockDevice device : devices) {
            try {
                device.flush();
                device.close();
            } catch (IOException | RuntimeException e) {
                LOG.error("Closing a disk failed: {}", e.getMessage(), e);
            }
        }
        if (cache != null) {
            try {
                cache.close();
            } catch (IOException | RuntimeException e) {
                LOG.error("Closing the cache failed: {}", e.getMessage(), e);
            }
        }
        if (cloud != null) {
            cloud.close();
        }
    }
}
