package org.storagegateway.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.gateway.Appliance;
import org.storagegateway.gateway.CloudVolumes;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.config.ConfigLoader;
import org.storagegateway.gateway.config.ManagementSettings;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.snapshot.SnapshotRecord;
import org.storagegateway.iscsi.target.ChapPolicy;
import software.amazon.awssdk.services.storagegateway.StorageGatewayClient;
import software.amazon.awssdk.services.storagegateway.model.InvalidGatewayRequestException;
import software.amazon.awssdk.services.storagegateway.model.Tag;

/**
 * The snapshot operations through the AWS SDK against a running appliance with a stored and a cached volume:
 * snapshots taken and completed in the object store, a snapshot from a cached volume's recovery point, schedules
 * kept across a restart, and the errors AWS gives for unknown volumes and bad schedules.
 */
class SnapshotOperationsTest {
    private static final String KEY = "AKIASNAPSHOTSTEST001";
    private static final String SECRET = "snapshotstestsecretsnapshotstestsecret01";
    private static final long SIZE = 8L << 20;

    @TempDir
    Path directory;

    private ApplianceSettings settings() {
        DiskSettings stored = new DiskSettings(0, SIZE, 512, Backing.CACHE, null, "stored0", false);
        DiskSettings cached = new DiskSettings(0, SIZE, 512, Backing.CACHED, null, "cached0", false);
        List<TargetSettings> targets = List.of(
                new TargetSettings("iqn.2026-11.org.example:stored0", null, Set.of(), ChapPolicy.NONE,
                        List.of(stored)),
                new TargetSettings("iqn.2026-11.org.example:cached0", null, Set.of(), ChapPolicy.NONE,
                        List.of(cached)));
        ManagementSettings management = new ManagementSettings("127.0.0.1", 0, "127.0.0.1", 0,
                ManagementSettings.DEFAULT_REGION, "snapshots", Map.of(KEY, SECRET));
        return new ApplianceSettings(directory, "127.0.0.1", 0, List.of(), ConfigLoader.DEFAULT_MAX_TRANSFER,
                ConfigLoader.defaultCache(directory), ObjectStoreSettings.embedded(directory, 0, null), management,
                targets);
    }

    private static StorageGatewayClient client(Appliance appliance) {
        return ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET);
    }

    private static void write(CachedVolume volume, long seed) throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(seed).nextBytes(data);
        volume.write(0, ByteBuffer.wrap(data), false);
    }

    /** Waits, up to a minute, for the uploader to complete the snapshot. */
    private static SnapshotRecord awaitCompleted(CloudVolumes volumes, String snapshotId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            SnapshotRecord record = volumes.snapshots().describe(snapshotId).orElseThrow().record();
            if (record.state() == SnapshotRecord.State.COMPLETED || System.nanoTime() > deadline) {
                assertEquals(SnapshotRecord.State.COMPLETED, record.state(), snapshotId);
                return record;
            }
            volumes.uploader().wakeUp();
            Thread.sleep(20);
        }
    }

    @Test
    void snapshotsRecoveryPointsAndSchedulesThroughTheSdk() throws Exception {
        String gatewayArn;
        String storedArn;
        try (Appliance appliance = Appliance.start(settings()); StorageGatewayClient client = client(appliance)) {
            CloudVolumes volumes = appliance.volumes().orElseThrow();
            gatewayArn = client.listGateways().gateways().get(0).gatewayARN();
            storedArn = gatewayArn + "/volume/" + volumes.volumeId("stored0");
            String cachedArn = gatewayArn + "/volume/" + volumes.volumeId("cached0");
            write(volumes.volume("stored0"), 1);
            write(volumes.volume("cached0"), 2);

            var created = client.createSnapshot(r -> r.volumeARN(storedArn).snapshotDescription("nightly")
                    .tags(Tag.builder().key("app").value("db").build()));
            assertEquals(storedArn, created.volumeARN());
            assertTrue(created.snapshotId().matches("snap-[0-9a-f]{17}"), created.snapshotId());
            SnapshotRecord record = awaitCompleted(volumes, created.snapshotId());
            assertEquals(Map.of("app", "db"), record.tags());

            // A cached volume's recovery point is written once an upload pass leaves it clean.
            assertTrue(volumes.uploader().awaitUploaded("cached0", Duration.ofMinutes(1)));
            volumes.uploader().drain("cached0");
            var points = client.listVolumeRecoveryPoints(r -> r.gatewayARN(gatewayArn)).volumeRecoveryPointInfos();
            assertEquals(1, points.size(), points.toString());
            assertEquals(cachedArn, points.get(0).volumeARN());
            assertEquals(SIZE, points.get(0).volumeSizeInBytes());
            var fromPoint = client.createSnapshotFromVolumeRecoveryPoint(r -> r.volumeARN(cachedArn)
                    .snapshotDescription("from the recovery point"));
            assertEquals(points.get(0).volumeRecoveryPointTime(), fromPoint.volumeRecoveryPointTime());
            assertEquals(SnapshotRecord.State.COMPLETED,
                    volumes.snapshots().describe(fromPoint.snapshotId()).orElseThrow().record().state());
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + appliance.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.matches("(?s).*TimeSinceLastRecoveryPoint\\{gateway=\"sgw-[0-9A-Fa-f]+\","
                    + "volume=\"cached0\"} [0-9.E+-]+\n.*"), metrics);
            assertTrue(!metrics.matches("(?s).*TimeSinceLastRecoveryPoint\\{[^}]*volume=\"stored0\".*"),
                    "stored volumes have no recovery points");
            assertThrows(InvalidGatewayRequestException.class, () -> client.createSnapshotFromVolumeRecoveryPoint(
                    r -> r.volumeARN(storedArn).snapshotDescription("stored volumes have none")));

            client.updateSnapshotSchedule(r -> r.volumeARN(storedArn).startAt(3).recurrenceInHours(8)
                    .description("every 8 hours").tags(Tag.builder().key("tier").value("gold").build()));
            InvalidGatewayRequestException badRecurrence = assertThrows(InvalidGatewayRequestException.class,
                    () -> client.updateSnapshotSchedule(r -> r.volumeARN(cachedArn).startAt(3).recurrenceInHours(5)));
            assertEquals("InvalidParameters", ApiErrors.errorCode(badRecurrence));
            InvalidGatewayRequestException unknown = assertThrows(InvalidGatewayRequestException.class,
                    () -> client.createSnapshot(r -> r.volumeARN(gatewayArn + "/volume/vol-00000000000000000")
                            .snapshotDescription("nothing")));
            assertEquals("VolumeNotFound", ApiErrors.errorCode(unknown));
            assertThrows(InvalidGatewayRequestException.class, () -> client.createSnapshot(r -> r
                    .volumeARN(storedArn).snapshotDescription("reserved tag")
                    .tags(Tag.builder().key("sgw:schedule").value("x").build())));
        }
        try (Appliance appliance = Appliance.start(settings()); StorageGatewayClient client = client(appliance)) {
            var schedule = client.describeSnapshotSchedule(r -> r.volumeARN(storedArn));
            assertEquals(3, schedule.startAt());
            assertEquals(8, schedule.recurrenceInHours());
            assertEquals("every 8 hours", schedule.description());
            assertEquals("GMT", schedule.timezone());
            assertEquals(List.of(Tag.builder().key("tier").value("gold").build()), schedule.tags());

            // The schedules follow the gateway's time zone when UpdateGatewayInformation changes it.
            String arn = gatewayArn;
            client.updateGatewayInformation(r -> r.gatewayARN(arn).gatewayTimezone("GMT-5:00"));
            assertEquals("GMT-5:00", client.describeSnapshotSchedule(r -> r.volumeARN(storedArn)).timezone());
            assertEquals(ZoneOffset.ofHours(-5),
                    appliance.volumes().orElseThrow().schedules().zone());
            client.deleteSnapshotSchedule(r -> r.volumeARN(storedArn));
            assertNull(client.describeSnapshotSchedule(r -> r.volumeARN(storedArn)).startAt());
            InvalidGatewayRequestException again = assertThrows(InvalidGatewayRequestException.class,
                    () -> client.deleteSnapshotSchedule(r -> r.volumeARN(storedArn)));
            assertEquals("SnapshotScheduleNotFound", ApiErrors.errorCode(again));
        }
    }

    @Test
    void aGatewayTimeZoneIsAnOffset() {
        assertEquals(ZoneOffset.UTC, GatewayOperations.zoneOf("GMT"));
        assertEquals(ZoneOffset.ofHoursMinutes(5, 30), GatewayOperations.zoneOf("GMT+5:30"));
        assertEquals(ZoneOffset.ofHoursMinutes(-3, -30), GatewayOperations.zoneOf("GMT-3:30"));
        assertThrows(IllegalArgumentException.class, () -> GatewayOperations.zoneOf("EST"));
    }
}
