package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.gateway.ExternalTool.Outcome;
import org.storagegateway.gateway.api.ApiClients;
import org.storagegateway.gateway.api.ApiErrors;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.snapshot.SnapshotRecord;
import org.storagegateway.iscsi.target.ChapPolicy;
import software.amazon.awssdk.services.storagegateway.StorageGatewayClient;
import software.amazon.awssdk.services.storagegateway.model.CachediSCSIVolume;
import software.amazon.awssdk.services.storagegateway.model.CreateCachediScsiVolumeRequest;
import software.amazon.awssdk.services.storagegateway.model.InvalidGatewayRequestException;
import software.amazon.awssdk.services.storagegateway.model.ListVolumesResponse;
import software.amazon.awssdk.services.storagegateway.model.Tag;
import software.amazon.awssdk.services.storagegateway.model.VolumeInfo;

/**
 * Volumes made, listed, described and deleted through the AWS SDK while the appliance runs, and read and written
 * over iSCSI with qemu-io: a blank volume, one from a snapshot, a clone of a volume's recovery point; all but the
 * deleted one served again after a restart.
 */
class VolumeLifecycleTest {
    private static final String KEY = "AKIAVOLUMESLIFECYCLE";
    private static final String SECRET = "volumeslifecyclesecretvolumeslifecycle01";
    private static final String CONFIGURED_TARGET = "iqn.2026-11.org.storagegateway.test:cached0";
    private static final long GIB = 1L << 30;

    @TempDir
    Path directory;

    @BeforeAll
    static void needsQemu() {
        ExternalTool.require("qemu-io");
    }

    private ApplianceSettings settings() {
        DiskSettings cached = new DiskSettings(0, 8L << 20, 512, Backing.CACHED, null, "cached0", false);
        ApplianceSettings plain = new ApplianceSettings(directory, "127.0.0.1", 0, List.of(),
                org.storagegateway.gateway.config.ConfigLoader.DEFAULT_MAX_TRANSFER,
                org.storagegateway.gateway.config.ConfigLoader.defaultCache(directory),
                TestAppliances.embeddedStore(directory), null, List.of(new TargetSettings(CONFIGURED_TARGET, null,
                        Set.of(), ChapPolicy.NONE, List.of(cached))));
        return TestAppliances.managed(plain, KEY, SECRET);
    }

    private static String url(Appliance appliance, String targetArn) {
        return "iscsi://127.0.0.1:" + appliance.port() + "/" + targetArn.substring(targetArn.indexOf("/target/")
                + "/target/".length()) + "/0";
    }

    /** Runs qemu-io commands against a volume's target; returns the outcome (exit code and output). */
    private static Outcome qemuIo(Appliance appliance, String targetArn, String log, String... commands)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String each : commands) {
            command.add("-c");
            command.add(each);
        }
        command.add(url(appliance, targetArn));
        return ExternalTool.run(TestAppliances.reportDirectory("volumes").resolve(log), Duration.ofMinutes(2),
                command.toArray(String[]::new));
    }

    private static void expectIo(Appliance appliance, String targetArn, String log, String... commands)
            throws Exception {
        Outcome outcome = qemuIo(appliance, targetArn, log, commands);
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(!outcome.output().contains("Pattern verification failed"), outcome.output());
    }

    private static String create(StorageGatewayClient client, String gatewayArn, String name, long size,
                                 Consumer<CreateCachediScsiVolumeRequest.Builder> more) {
        return client.createCachediSCSIVolume(request -> {
            request.gatewayARN(gatewayArn).targetName(name).volumeSizeInBytes(size)
                    .networkInterfaceId("127.0.0.1").clientToken("token-" + name);
            more.accept(request);
        }).volumeARN();
    }

    private static String errorCode(Runnable call) {
        return ApiErrors.errorCode(assertThrows(InvalidGatewayRequestException.class, call::run));
    }

    private static List<VolumeInfo> allVolumes(StorageGatewayClient client, String gatewayArn) {
        List<VolumeInfo> all = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            ListVolumesResponse page = client.listVolumes(r -> r.gatewayARN(gatewayArn).limit(2).marker(from));
            all.addAll(page.volumeInfos());
            marker = page.marker();
        } while (marker != null);
        return all;
    }

    private static String metrics(Appliance appliance) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + appliance.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void awaitCompleted(CloudVolumes volumes, String snapshotId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            SnapshotRecord record = volumes.snapshots().describe(snapshotId).orElseThrow().record();
            if (record.state() != SnapshotRecord.State.PENDING || System.nanoTime() > deadline) {
                assertEquals(SnapshotRecord.State.COMPLETED, record.state(), String.valueOf(record.error()));
                return;
            }
            volumes.uploader().wakeUp();
            Thread.sleep(20);
        }
    }

    @Test
    void volumesMadeThroughTheApiServeOverIscsiAndOutliveARestart() throws Exception {
        String blankArn;
        String cloneArn;
        String storedArn;
        try (Appliance appliance = Appliance.start(settings());
             StorageGatewayClient client = ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET)) {
            CloudVolumes volumes = appliance.volumes().orElseThrow();
            String gatewayArn = client.listGateways().gateways().get(0).gatewayARN();
            String configuredArn = gatewayArn + "/volume/" + volumes.volumeId("cached0");
            assertEquals(List.of(configuredArn), allVolumes(client, gatewayArn).stream().map(VolumeInfo::volumeARN)
                    .toList());

            // A blank volume, written and read back over iSCSI.
            var made = client.createCachediSCSIVolume(r -> r.gatewayARN(gatewayArn).targetName("blank1")
                    .volumeSizeInBytes(GIB).networkInterfaceId("127.0.0.1").clientToken("token-blank1")
                    .tags(Tag.builder().key("team").value("finance").build()));
            blankArn = made.volumeARN();
            assertEquals(gatewayArn + "/target/iqn.2026-11.org.storagegateway:blank1", made.targetARN());
            String blankTarget = made.targetARN();
            expectIo(appliance, blankTarget, "write-blank.log", "write -P 0x3c 0 4M", "write -P 0x5a 1020M 64k");
            expectIo(appliance, blankTarget, "read-blank.log", "read -P 0x3c 0 4M", "read -P 0 4M 4M",
                    "read -P 0x5a 1020M 64k");

            // The same request again (same client token) is the same volume; other parameters are refused.
            assertEquals(blankArn, client.createCachediSCSIVolume(r -> r.gatewayARN(gatewayArn).targetName("blank1")
                    .volumeSizeInBytes(GIB).networkInterfaceId("127.0.0.1").clientToken("token-blank1"))
                    .volumeARN());
            assertEquals("InvalidParameters", errorCode(() -> client.createCachediSCSIVolume(r -> r
                    .gatewayARN(gatewayArn).targetName("blank1").volumeSizeInBytes(2 * GIB)
                    .networkInterfaceId("127.0.0.1").clientToken("token-blank1"))));

            // From a snapshot: usable at once, its chunks fetched on demand.
            String blankId = blankArn.substring(blankArn.lastIndexOf('/') + 1);
            String snapshotId = client.createSnapshot(r -> r.volumeARN(made.volumeARN())
                    .snapshotDescription("for a new volume")).snapshotId();
            awaitCompleted(volumes, snapshotId);
            String fromSnapshotArn = create(client, gatewayArn, "restored1", 2 * GIB, r -> r.snapshotId(snapshotId));
            String restoredTarget = gatewayArn + "/target/iqn.2026-11.org.storagegateway:restored1";
            expectIo(appliance, restoredTarget, "read-restored.log", "read -P 0x3c 0 4M",
                    "read -P 0x5a 1020M 64k", "read -P 0 1536M 1M");

            // A stored volume from the same snapshot: its size, hydrating in the background while it serves.
            var stored = client.createStorediSCSIVolume(r -> r.gatewayARN(gatewayArn).diskId("cache")
                    .snapshotId(snapshotId).preserveExistingData(false).targetName("stored1")
                    .networkInterfaceId("127.0.0.1"));
            assertEquals(GIB, stored.volumeSizeInBytes());
            storedArn = stored.volumeARN();
            expectIo(appliance, stored.targetARN(), "read-stored.log", "read -P 0x3c 0 4M", "read -P 0x5a 1020M 64k");
            var storedDescription = client.describeStorediSCSIVolumes(r -> r.volumeARNs(stored.volumeARN()))
                    .storediSCSIVolumes().get(0);
            assertEquals("STORED iSCSI", storedDescription.volumeType());
            assertEquals("cache", storedDescription.volumeDiskId());
            assertEquals(snapshotId, storedDescription.sourceSnapshotId());
            assertEquals("DiskDoesNotExist", errorCode(() -> client.createStorediSCSIVolume(r -> r
                    .gatewayARN(gatewayArn).diskId("nvme1").snapshotId(snapshotId).preserveExistingData(false)
                    .targetName("stored2").networkInterfaceId("127.0.0.1"))));
            assertEquals("InvalidParameters", errorCode(() -> client.createStorediSCSIVolume(r -> r
                    .gatewayARN(gatewayArn).diskId("cache").preserveExistingData(false).targetName("stored2")
                    .networkInterfaceId("127.0.0.1"))));

            // A clone of the blank volume's latest recovery point: renewed, since all its data is uploaded; what
            // the blank volume is written after that is not in the clone.
            assertTrue(volumes.uploader().awaitUploaded("blank1", Duration.ofMinutes(1)));
            cloneArn = create(client, gatewayArn, "clone1", GIB, r -> r.sourceVolumeARN(blankArn));
            expectIo(appliance, blankTarget, "overwrite-blank.log", "write -P 0x77 0 64k");
            String cloneTarget = gatewayArn + "/target/iqn.2026-11.org.storagegateway:clone1";
            expectIo(appliance, cloneTarget, "read-clone.log", "read -P 0x3c 0 4M", "read -P 0x5a 1020M 64k");

            List<CachediSCSIVolume> described = client.describeCachediSCSIVolumes(r -> r.volumeARNs(configuredArn,
                    blankArn, fromSnapshotArn)).cachediSCSIVolumes();
            assertEquals(3, described.size());
            assertEquals("CACHED iSCSI", described.get(1).volumeType());
            assertEquals(GIB, described.get(1).volumeSizeInBytes());
            assertEquals(0, described.get(1).volumeiSCSIAttributes().lunNumber());
            assertEquals(appliance.port(), described.get(1).volumeiSCSIAttributes().networkInterfacePort());
            assertEquals("127.0.0.1", described.get(1).volumeiSCSIAttributes().networkInterfaceId());
            assertTrue(described.get(1).createdDate() != null);
            assertEquals(snapshotId, described.get(2).sourceSnapshotId());
            assertEquals("blank1", described.get(1).targetName());
            assertEquals(CONFIGURED_TARGET, described.get(0).targetName());
            assertEquals(5, allVolumes(client, gatewayArn).size());
            assertEquals(List.of(), client.listVolumeInitiators(r -> r.volumeARN(blankArn)).initiators());
            assertEquals(List.of(Tag.builder().key("team").value("finance").build()),
                    client.listTagsForResource(r -> r.resourceARN(blankArn)).tags());
            assertTrue(metrics(appliance).contains("volume=\"restored1\""), "a made volume's metrics");

            // What the API refuses, in AWS's words.
            assertEquals("TargetAlreadyExists", errorCode(() -> create(client, gatewayArn, "blank1", GIB,
                    r -> r.clientToken("another-token"))));
            assertEquals("SnapshotNotFound", errorCode(() -> create(client, gatewayArn, "nosuch", GIB,
                    r -> r.snapshotId("snap-00000000000000000"))));
            assertEquals("InvalidParameters", errorCode(() -> create(client, gatewayArn, "small", 1L << 20,
                    r -> { })));
            assertEquals("InvalidParameters", errorCode(() -> create(client, gatewayArn, "Upper", GIB, r -> { })));
            assertEquals("InvalidParameters", errorCode(() -> create(client, gatewayArn, "smaller", GIB,
                    r -> r.snapshotId(snapshotId).volumeSizeInBytes(GIB - 512))));
            assertEquals("UnsupportedOperationForGatewayType", errorCode(() -> client.deleteVolume(r -> r
                    .volumeARN(configuredArn))));
            assertEquals("VolumeNotFound", errorCode(() -> client.deleteVolume(r -> r
                    .volumeARN(gatewayArn + "/volume/vol-00000000000000000"))));

            // Detached: off its target, still listed; attached again under another name.
            client.detachVolume(r -> r.volumeARN(blankArn));
            assertNotEquals(0, qemuIo(appliance, blankTarget, "read-detached.log", "read 0 4k").exitCode());
            var detached = client.describeCachediSCSIVolumes(r -> r.volumeARNs(blankArn)).cachediSCSIVolumes().get(0);
            assertEquals("DETACHED", detached.volumeAttachmentStatus());
            assertEquals("InvalidParameters", errorCode(() -> client.detachVolume(r -> r.volumeARN(blankArn))));
            assertEquals("UnsupportedOperationForGatewayType", errorCode(() -> client.detachVolume(r -> r
                    .volumeARN(configuredArn))));
            var attached = client.attachVolume(r -> r.gatewayARN(gatewayArn).volumeARN(blankArn)
                    .targetName("moved1").networkInterfaceId("127.0.0.1"));
            assertEquals(gatewayArn + "/target/iqn.2026-11.org.storagegateway:moved1", attached.targetARN());
            expectIo(appliance, attached.targetARN(), "read-moved.log", "read -P 0x77 0 64k",
                    "read -P 0x5a 1020M 64k");
            assertEquals("InvalidParameters", errorCode(() -> client.attachVolume(r -> r.gatewayARN(gatewayArn)
                    .volumeARN(blankArn).networkInterfaceId("127.0.0.1"))));

            // Deleted: its target is gone at once; its snapshots stay.
            assertEquals(fromSnapshotArn, client.deleteVolume(r -> r.volumeARN(fromSnapshotArn)).volumeARN());
            assertNotEquals(0, qemuIo(appliance, restoredTarget, "read-deleted.log", "read 0 4k").exitCode());
            assertEquals(4, allVolumes(client, gatewayArn).size());
            assertTrue(volumes.snapshots().describe(snapshotId).isPresent());
            assertTrue(!metrics(appliance).contains("volume=\"restored1\""), "a deleted volume's metrics go");
            assertTrue(!blankId.isEmpty());
        }

        try (Appliance appliance = Appliance.start(settings());
             StorageGatewayClient client = ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET)) {
            String gatewayArn = client.listGateways().gateways().get(0).gatewayARN();
            assertEquals(Set.of(blankArn, cloneArn, storedArn, gatewayArn + "/volume/"
                    + appliance.volumes().orElseThrow().volumeId("cached0")), Set.copyOf(allVolumes(client,
                    gatewayArn).stream().map(VolumeInfo::volumeARN).toList()));
            expectIo(appliance, gatewayArn + "/target/iqn.2026-11.org.storagegateway:moved1", "read-after.log",
                    "read -P 0x77 0 64k", "read -P 0x3c 64k 4032k", "read -P 0x5a 1020M 64k");
            expectIo(appliance, gatewayArn + "/target/iqn.2026-11.org.storagegateway:clone1",
                    "read-clone-after.log", "read -P 0x3c 0 4M");
            expectIo(appliance, gatewayArn + "/target/iqn.2026-11.org.storagegateway:stored1",
                    "read-stored-after.log", "read -P 0x3c 0 4M", "read -P 0 4M 1016M");
        }
        assertTrue(Files.exists(directory.resolve("volumes.json")));
    }

    @Test
    void aRestartFinishesTheCreationOrDeletionACrashInterrupted() throws Exception {
        String gatewayArn;
        try (Appliance appliance = Appliance.start(settings());
             StorageGatewayClient client = ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET)) {
            gatewayArn = client.listGateways().gateways().get(0).gatewayARN();
            create(client, gatewayArn, "halfmade", GIB, r -> { });
            create(client, gatewayArn, "halfdeleted", GIB, r -> { });
            byte[] data = new byte[1 << 20];
            Arrays.fill(data, (byte) 0x42);
            appliance.volumes().orElseThrow().volume("halfmade").write(0, ByteBuffer.wrap(data), true);
        }
        // As a crash would leave them: one volume recorded but not yet filled, one recorded as being deleted.
        Path catalog = directory.resolve("volumes.json");
        Files.writeString(catalog, Files.readString(catalog).replaceFirst("\"AVAILABLE\"", "\"CREATING\"")
                .replaceFirst("\"AVAILABLE\"", "\"DELETING\""));

        try (Appliance appliance = Appliance.start(settings());
             StorageGatewayClient client = ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET)) {
            List<VolumeInfo> volumes = allVolumes(client, gatewayArn);
            assertEquals(2, volumes.size(), volumes.toString());
            assertTrue(!appliance.cache().orElseThrow().hasVolume("halfdeleted"));
            // Made again from its source (none): nobody had seen it, so nothing of the first attempt stays.
            ByteBuffer back = ByteBuffer.allocate(1 << 20);
            appliance.volumes().orElseThrow().volume("halfmade").read(0, back);
            assertArrayEquals(new byte[1 << 20], back.array());
            expectIo(appliance, gatewayArn + "/target/iqn.2026-11.org.storagegateway:halfmade", "halfmade.log",
                    "write -P 0x11 0 64k", "read -P 0x11 0 64k");
            assertTrue(!Files.readString(catalog).contains("halfdeleted"));
        }
    }

    @Test
    void aGatewayWithoutACacheRefusesToMakeVolumes() throws Exception {
        ApplianceSettings memoryOnly = TestAppliances.managed(TestAppliances.singleDisk(directory,
                "iqn.2026-11.org.storagegateway.test:memory", 8L << 20, Backing.MEMORY), KEY, SECRET);
        try (Appliance appliance = Appliance.start(memoryOnly);
             StorageGatewayClient client = ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET)) {
            String gatewayArn = client.listGateways().gateways().get(0).gatewayARN();
            assertEquals(List.of(), allVolumes(client, gatewayArn));
            assertEquals("NotSupported", errorCode(() -> create(client, gatewayArn, "nowhere", GIB, r -> { })));
            assertTrue(appliance.cache().isEmpty());
        }
    }

    @Test
    void initiatorsLoggedInAreListedAndHoldOffADetachUnlessForced() throws Exception {
        try (Appliance appliance = Appliance.start(settings());
             StorageGatewayClient client = ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET)) {
            String gatewayArn = client.listGateways().gateways().get(0).gatewayARN();
            var made = client.createCachediSCSIVolume(r -> r.gatewayARN(gatewayArn).targetName("busy1")
                    .volumeSizeInBytes(GIB).networkInterfaceId("127.0.0.1").clientToken("token-busy1"));
            // qemu-io keeps its session while it waits for commands on its standard input.
            Process session = new ProcessBuilder("qemu-io", "-f", "raw", url(appliance, made.targetARN()))
                    .redirectErrorStream(true)
                    .redirectOutput(TestAppliances.reportDirectory("volumes").resolve("held-session.log").toFile())
                    .start();
            try {
                List<String> initiators = List.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (initiators.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    initiators = client.listVolumeInitiators(r -> r.volumeARN(made.volumeARN())).initiators();
                }
                assertEquals(1, initiators.size(), "qemu-io's session");
                assertTrue(initiators.get(0).startsWith("iqn."), initiators.toString());
                assertEquals("VolumeInUse", errorCode(() -> client.detachVolume(r -> r.volumeARN(made.volumeARN()))));
                client.detachVolume(r -> r.volumeARN(made.volumeARN()).forceDetach(true));
                assertEquals(List.of(), client.listVolumeInitiators(r -> r.volumeARN(made.volumeARN()))
                        .initiators());
                assertEquals(0, sessionsOf(appliance), "the session ended");
            } finally {
                session.getOutputStream().close();
                if (!session.waitFor(30, TimeUnit.SECONDS)) {
                    session.destroyForcibly();
                }
            }
        }
    }

    private static int sessionsOf(Appliance appliance) throws Exception {
        String scrape = metrics(appliance);
        Matcher sessions = Pattern.compile("(?m)^IscsiSessions\\{[^}]*} ([0-9.]+)$")
                .matcher(scrape);
        assertTrue(sessions.find(), scrape);
        return (int) Double.parseDouble(sessions.group(1));
    }
}
