package org.storagegateway.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.api.ApiException;
import org.storagegateway.gateway.api.ApiKeys;
import org.storagegateway.gateway.api.BandwidthOperations;
import org.storagegateway.gateway.api.CacheOperations;
import org.storagegateway.gateway.api.ChapOperations;
import org.storagegateway.gateway.api.GatewayOperations.GatewayDescription;
import org.storagegateway.gateway.api.GatewayOperations;
import org.storagegateway.gateway.api.GatewayPower;
import org.storagegateway.gateway.api.ManagementServer;
import org.storagegateway.gateway.api.ManagementState;
import org.storagegateway.gateway.api.SigV4Verifier;
import org.storagegateway.gateway.api.SnapshotOperations;
import org.storagegateway.gateway.api.TagOperations;
import org.storagegateway.gateway.api.VolumeOperations;
import org.storagegateway.gateway.cloud.BandwidthGovernor;
import org.storagegateway.gateway.cloud.BandwidthSchedule;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ManagementSettings;
import org.storagegateway.gateway.metrics.GatewayMetrics;
import org.storagegateway.gateway.metrics.MeteredBlockDevice;
import org.storagegateway.gateway.metrics.MetricsServer;
import org.storagegateway.gateway.snapshot.SnapshotManager;
import org.storagegateway.iscsi.target.TargetCatalog;

/** The appliance's management side: the Storage Gateway API and the metrics endpoint, as configured. */
final class ManagementEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementEndpoints.class);
    /** The time zone a gateway has until UpdateGatewayInformation sets one. */
    private static final String GATEWAY_TIMEZONE = "GMT";

    private final ManagementServer api;
    private final MetricsServer metrics;
    private final BandwidthGovernor bandwidth;

    private ManagementEndpoints(ManagementServer api, MetricsServer metrics, BandwidthGovernor bandwidth) {
        this.api = api;
        this.metrics = metrics;
        this.bandwidth = bandwidth;
    }

    /** What the API calls this gateway. */
    static GatewayDescription describe(ApplianceSettings settings, GatewayIdentity identity) {
        ManagementSettings management = settings.management();
        return new GatewayDescription(identity.gatewayId(), management.gatewayName(), management.region(),
                identity.accountId(), "STORED", GATEWAY_TIMEZONE);
    }

    /**
     * Puts what the API set and the configuration does not say back onto the targets (CHAP secrets per initiator),
     * before the portal lets anyone log in.
     */
    static ManagementState restore(ApplianceSettings settings, GatewayIdentity identity, TargetCatalog catalog) {
        ManagementState state = ManagementState.open(settings.dataDirectory());
        try {
            new ChapOperations(describe(settings, identity).arn(), catalog, state).applyAll();
        } catch (ApiException e) {
            throw new IllegalStateException("the CHAP credentials kept in " + settings.dataDirectory()
                    + " are not valid: " + e.getMessage(), e);
        }
        return state;
    }

    /** The gateway's time zone: UpdateGatewayInformation's, or GMT. */
    static ZoneId zone(ManagementState state) {
        return GatewayOperations.zoneOf(state.timezone().orElse(GATEWAY_TIMEZONE));
    }

    /** Starts what the settings enable; the metrics see the cache (if any), every volume and the portal. */
    static ManagementEndpoints start(ApplianceSettings settings, GatewayIdentity identity, ManagementState state,
                                     TargetCatalog catalog, BlockCache cache, CloudStore cloud,
                                     CloudVolumes cloudVolumes, RuntimeVolumes runtimeVolumes,
                                     Map<String, MeteredBlockDevice> volumes, Portal portal)
            throws InterruptedException {
        ManagementSettings management = settings.management();
        ManagementServer api = null;
        MetricsServer metrics = null;
        // Limits set through the API replace the configuration's, and hold whether or not the API is on now.
        BandwidthGovernor bandwidth = new BandwidthGovernor(cloud == null ? null : cloud.s3().uploadLimiter(),
                cloud == null ? null : cloud.s3().downloadLimiter(), zone(state), Clock.systemUTC(),
                state.bandwidth().orElse(BandwidthSchedule.ofBytesPerSecond(settings.objectStore().uploadRate(),
                        settings.objectStore().downloadRate())));
        // Schedules' hours follow the gateway's time zone when UpdateGatewayInformation changes it.
        state.onTimezoneChange(timezone -> {
            ZoneId zone = GatewayOperations.zoneOf(timezone);
            bandwidth.setZone(zone);
            if (cloudVolumes != null) {
                cloudVolumes.schedules().setZone(zone);
            }
            LOG.info("Snapshot schedules and bandwidth intervals now run in {}", timezone);
        });
        try {
            if (management.apiEnabled()) {
                Map<String, String> keys = management.accessKeys();
                if (keys.isEmpty()) {
                    keys = ApiKeys.loadOrCreate(settings.dataDirectory());
                    LOG.info("Management API keys: {} (configure api.accessKeys to use your own)",
                            settings.dataDirectory().resolve("api-keys"));
                }
                GatewayDescription gateway = describe(settings, identity);
                GatewayOperations gatewayOperations = new GatewayOperations(gateway, state, new GatewayPower() {
                    @Override
                    public boolean running() {
                        return portal.running();
                    }

                    @Override
                    public void shutdown() {
                        LOG.info("ShutdownGateway: the iSCSI portal stops; every session ends");
                        portal.stop();
                    }

                    @Override
                    public void start() throws InterruptedException {
                        portal.start();
                        LOG.info("StartGateway: serving iSCSI on port {} again", portal.port());
                    }
                });
                Map<String, ManagementServer.ApiOperation> operations = new HashMap<>(gatewayOperations.operations());
                operations.putAll(new CacheOperations(gatewayOperations, gateway.arn(), cache).operations());
                operations.putAll(new BandwidthOperations(gatewayOperations, gateway.arn(), state, bandwidth)
                        .operations());
                if (cloudVolumes != null) {
                    operations.putAll(new SnapshotOperations(gatewayOperations, gateway.arn(), cloudVolumes)
                            .operations());
                }
                VolumeOperations volumeOperations = new VolumeOperations(gatewayOperations, gateway.arn(),
                        runtimeVolumes, state);
                operations.putAll(volumeOperations.operations());
                ChapOperations chap = new ChapOperations(gateway.arn(), catalog, state);
                operations.putAll(chap.operations());
                // Tapes join the taggable resources when the tape library arrives.
                operations.putAll(new TagOperations(state, arn -> arn.equals(gateway.arn())
                        || volumeOperations.isVolume(arn)
                        || catalog.all().stream().anyMatch(target -> chap.targetArn(target.name()).equals(arn)))
                        .operations());
                api = new ManagementServer(new SigV4Verifier(keys, management.region(), "storagegateway"),
                        operations, Clock.systemUTC())
                        .start(new InetSocketAddress(management.apiBind(), management.apiPort()));
            }
            if (management.metricsEnabled()) {
                GatewayMetrics registry = new GatewayMetrics(identity.gatewayId());
                if (cache != null) {
                    registry.registerCache(cache);
                }
                volumes.forEach(registry::registerVolume);
                runtimeVolumes.listen(new RuntimeVolumes.Listener() {
                    @Override
                    public void added(String name, MeteredBlockDevice device) {
                        registry.registerVolume(name, device);
                        if (cloudVolumes != null) {
                            registerRecoveryPointAge(registry, cloudVolumes, new SnapshotManager.Source(
                                    cloudVolumes.volumeId(name), cloudVolumes.volume(name)));
                        }
                    }

                    @Override
                    public void removed(String name) {
                        registry.unregisterVolume(name);
                    }
                });
                if (cloud != null) {
                    registerCloud(registry, cloud, cloudVolumes);
                }
                registry.registerGauge("IscsiSessions", "iSCSI sessions logged in",
                        portal::sessions);
                ApplianceStatus status = new ApplianceStatus(identity, management.gatewayName(), state, portal, cache,
                        cloudVolumes, runtimeVolumes);
                metrics = new MetricsServer(registry, () -> portal.running()
                        ? new MetricsServer.Health(true, "serving iSCSI on port " + portal.port())
                        : new MetricsServer.Health(false, "the iSCSI portal is shut down (ShutdownGateway)"),
                        status::page).start(new InetSocketAddress(management.metricsBind(), management.metricsPort()));
            }
            return new ManagementEndpoints(api, metrics, bandwidth);
        } catch (InterruptedException | RuntimeException e) {
            new ManagementEndpoints(api, metrics, bandwidth).close();
            throw e;
        }
    }

    /** Traffic to the object store, and each cached volume's time since its last recovery point. */
    private static void registerCloud(GatewayMetrics registry, CloudStore cloud, CloudVolumes cloudVolumes) {
        registry.registerCounter("CloudBytesUploaded", "bytes uploaded to the object store",
                () -> cloud.s3().traffic().bytesUploaded());
        registry.registerCounter("CloudBytesDownloaded", "bytes downloaded from the object store",
                () -> cloud.s3().traffic().bytesDownloaded());
        registry.registerGauge("CloudDownloadLatency", "milliseconds the latest object download took",
                () -> cloud.s3().traffic().lastDownloadMillis());
        if (cloudVolumes == null) {
            return;
        }
        for (SnapshotManager.Source source : cloudVolumes.sources()) {
            registerRecoveryPointAge(registry, cloudVolumes, source);
        }
    }

    /** A cached volume's seconds since its latest recovery point; nothing for a stored volume. */
    private static void registerRecoveryPointAge(GatewayMetrics registry, CloudVolumes cloudVolumes,
                                                 SnapshotManager.Source source) {
        if (source.volume().mode() != VolumeMode.CACHED) {
            return;
        }
        registry.registerVolumeGauge(source.volume().name(), "TimeSinceLastRecoveryPoint",
                "seconds since the volume's latest recovery point (NaN: none yet)", () -> {
                    try {
                        Instant latest = cloudVolumes.recoveryPoints().latest(source.volumeId());
                        return latest == null ? Double.NaN
                                : Duration.between(latest, Instant.now()).toMillis() / 1000.0;
                    } catch (IOException e) {
                        return Double.NaN;
                    }
                });
    }

    /** The API's port, or -1 when it is off. */
    int apiPort() {
        return api == null ? -1 : api.port();
    }

    /** The metrics endpoint's port, or -1 when it is off. */
    int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    @Override
    public void close() {
        bandwidth.close();
        if (api != null) {
            api.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
