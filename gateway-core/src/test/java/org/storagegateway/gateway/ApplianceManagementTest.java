package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.storagegateway.StorageGatewayClient;
import software.amazon.awssdk.services.storagegateway.model.InvalidGatewayRequestException;
import software.amazon.awssdk.services.storagegateway.model.Tag;

import org.storagegateway.gateway.api.ApiClients;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ManagementSettings;

/** The running appliance answers the AWS SDK on its management port and Prometheus on its metrics port. */
class ApplianceManagementTest {
    private static final String KEY = "AKIAAPPLIANCETEST001";
    private static final String SECRET = "appliancetestsecretappliancetestsecret01";

    @TempDir
    Path directory;

    @Test
    void theApiNamesTheGatewayByItsIdentityAndTheMetricsCountItsVolume() throws Exception {
        ApplianceSettings settings = TestAppliances.managed(TestAppliances.singleDisk(directory,
                "iqn.2026-11.org.example:managed", 16L << 20, Backing.CACHE), KEY, SECRET);
        try (Appliance appliance = Appliance.start(settings);
             StorageGatewayClient client = client(appliance)) {
            GatewayIdentity identity = GatewayIdentity.loadOrCreate(directory);
            String arn = client.listGateways().gateways().get(0).gatewayARN();
            assertEquals("arn:aws:storagegateway:us-east-1:" + identity.accountId() + ":gateway/"
                    + identity.gatewayId(), arn);
            assertEquals("test-gateway", client.describeGatewayInformation(r -> r.gatewayARN(arn)).gatewayName());

            var disks = client.listLocalDisks(r -> r.gatewayARN(arn)).disks();
            assertEquals(1, disks.size());
            assertEquals("CACHE_STORAGE", disks.get(0).diskAllocationType());
            assertTrue(disks.get(0).diskSizeInBytes() > 0);
            var cache = client.describeCache(r -> r.gatewayARN(arn));
            assertEquals(settings.cache().capacityBytes(), cache.cacheAllocatedInBytes());
            assertEquals(100.0, cache.cacheHitPercentage());
            var buffer = client.describeUploadBuffer(r -> r.gatewayARN(arn));
            assertEquals(settings.cache().uploadBufferBytes(), buffer.uploadBufferAllocatedInBytes());
            assertEquals(0L, buffer.uploadBufferUsedInBytes());

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + appliance.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("ReadBytes_total{gateway=\"" + identity.gatewayId() + "\",volume=\"disk0\"}"),
                    metrics);
            assertTrue(metrics.contains("IscsiSessions{gateway=\"" + identity.gatewayId() + "\"} 0.0"), metrics);
            assertTrue(metrics.contains("CloudBytesUploaded_total{gateway=\"" + identity.gatewayId() + "\"}"),
                    metrics);
            assertTrue(metrics.contains("CloudDownloadLatency{gateway=\""), metrics);
        }
    }

    private static StorageGatewayClient client(Appliance appliance) {
        return ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET);
    }

    @Test
    void aNewNameATimeZoneAndTagsSurviveARestartAndBadOnesAreRefused() throws Exception {
        ApplianceSettings settings = TestAppliances.managed(TestAppliances.singleDisk(directory,
                "iqn.2026-11.org.example:renamed", 16L << 20, Backing.MEMORY), KEY, SECRET);
        String arn;
        try (Appliance appliance = Appliance.start(settings); StorageGatewayClient client = client(appliance)) {
            arn = client.listGateways().gateways().get(0).gatewayARN();
            client.updateGatewayInformation(r -> r.gatewayARN(arn).gatewayName("branch-office")
                    .gatewayTimezone("GMT-5:00"));
            client.addTagsToResource(r -> r.resourceARN(arn).tags(Tag.builder().key("site").value("lyon").build(),
                    Tag.builder().key("owner").value("ops").build()));
            client.removeTagsFromResource(r -> r.resourceARN(arn).tagKeys("owner"));
            assertThrows(InvalidGatewayRequestException.class, () -> client.updateGatewayInformation(
                    r -> r.gatewayARN(arn).gatewayTimezone("Mars/Olympus")));
            assertThrows(InvalidGatewayRequestException.class, () -> client.addTagsToResource(
                    r -> r.resourceARN(arn + "/volume/vol-00000000000000000")
                            .tags(Tag.builder().key("k").value("v").build())));
        }
        try (Appliance appliance = Appliance.start(settings); StorageGatewayClient client = client(appliance)) {
            var described = client.describeGatewayInformation(r -> r.gatewayARN(arn));
            assertEquals("branch-office", described.gatewayName());
            assertEquals("GMT-5:00", described.gatewayTimezone());
            assertEquals(List.of(Tag.builder().key("site").value("lyon").build()),
                    client.listTagsForResource(r -> r.resourceARN(arn)).tags());
        }
    }

    /** iscsi-inq's exit code logging in as {@code initiator}, with CHAP when {@code secret} is given. */
    private static int inquire(Appliance appliance, String target, String initiator, String secret)
            throws Exception {
        String credentials = secret == null ? "" : initiator + "%" + secret + "@";
        ExternalTool.Outcome outcome = ExternalTool.run(TestAppliances.reportDirectory("chap").resolve("inq.log"),
                Duration.ofMinutes(1), "iscsi-inq", "-i", initiator,
                "iscsi://" + credentials + "127.0.0.1:" + appliance.port() + "/" + target + "/0");
        return outcome.exitCode();
    }

    @Test
    void chapSecretsSetThroughTheApiGuardTheNextLoginAndSurviveARestart() throws Exception {
        ExternalTool.require("iscsi-inq");
        String target = "iqn.2026-11.org.example:chap";
        String initiator = "iqn.2026-11.org.example:host1";
        ApplianceSettings settings = TestAppliances.managed(TestAppliances.singleDisk(directory, target, 16L << 20,
                Backing.MEMORY), KEY, SECRET);
        try (Appliance appliance = Appliance.start(settings); StorageGatewayClient client = client(appliance)) {
            String targetArn = client.listGateways().gateways().get(0).gatewayARN() + "/target/" + target;
            assertEquals(0, inquire(appliance, target, initiator, null), "no CHAP yet");
            assertThrows(InvalidGatewayRequestException.class, () -> client.updateChapCredentials(r -> r
                    .targetARN(targetArn).initiatorName(initiator).secretToAuthenticateInitiator("short")));
            client.updateChapCredentials(r -> r.targetARN(targetArn).initiatorName(initiator)
                    .secretToAuthenticateInitiator("host1-secret-1"));
            assertTrue(inquire(appliance, target, initiator, null) != 0, "CHAP now required of host1");
            assertEquals(0, inquire(appliance, target, initiator, "host1-secret-1"));
            assertEquals(0, inquire(appliance, target, "iqn.2026-11.org.example:host2", null),
                    "another initiator still goes by the target's own policy");
        }
        try (Appliance appliance = Appliance.start(settings); StorageGatewayClient client = client(appliance)) {
            String targetArn = client.listGateways().gateways().get(0).gatewayARN() + "/target/" + target;
            var kept = client.describeChapCredentials(r -> r.targetARN(targetArn)).chapCredentials();
            assertEquals(1, kept.size());
            assertEquals(initiator, kept.get(0).initiatorName());
            assertTrue(inquire(appliance, target, initiator, null) != 0, "still required after a restart");
            client.deleteChapCredentials(r -> r.targetARN(targetArn).initiatorName(initiator));
            assertEquals(0, inquire(appliance, target, initiator, null));
        }
    }

    @Test
    void shutdownGatewayStopsThePortalAndStartGatewayBringsItBackOnTheSamePort() throws Exception {
        ExternalTool.require("iscsi-inq");
        String target = "iqn.2026-11.org.example:power";
        String initiator = "iqn.2026-11.org.example:host1";
        ApplianceSettings settings = TestAppliances.managed(TestAppliances.singleDisk(directory, target, 16L << 20,
                Backing.MEMORY), KEY, SECRET);
        try (Appliance appliance = Appliance.start(settings); StorageGatewayClient client = client(appliance)) {
            String arn = client.listGateways().gateways().get(0).gatewayARN();
            int port = appliance.port();
            client.shutdownGateway(r -> r.gatewayARN(arn));
            assertEquals("SHUTDOWN", client.describeGatewayInformation(r -> r.gatewayARN(arn)).gatewayState());
            assertTrue(inquire(appliance, target, initiator, null) != 0, "no portal while shut down");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + appliance.metricsPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode());
            client.startGateway(r -> r.gatewayARN(arn));
            assertEquals("RUNNING", client.describeGatewayInformation(r -> r.gatewayARN(arn)).gatewayState());
            assertEquals(port, appliance.port());
            assertEquals(0, inquire(appliance, target, initiator, null));
        }
    }

    @Test
    void withoutConfiguredKeysTheApplianceMakesItsOwnReadableByItsOwnerOnly() throws Exception {
        ApplianceSettings plain = TestAppliances.singleDisk(directory, "iqn.2026-11.org.example:keys", 16L << 20,
                Backing.MEMORY);
        ManagementSettings management = new ManagementSettings("127.0.0.1", 0, "127.0.0.1", -1, "us-east-1",
                "keys", Map.of());
        ApplianceSettings settings = new ApplianceSettings(plain.dataDirectory(), plain.bindAddress(), plain.port(),
                plain.advertise(), plain.maxTransferBytes(), plain.cache(), plain.objectStore(), management,
                plain.targets());
        try (Appliance appliance = Appliance.start(settings)) {
            Path keys = directory.resolve("api-keys");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
            assertTrue(Files.readString(keys).contains("secretAccessKey="));
            assertEquals(-1, appliance.metricsPort());
        }
    }
}
