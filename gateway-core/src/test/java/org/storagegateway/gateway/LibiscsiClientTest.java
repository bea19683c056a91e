package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.gateway.ExternalTool.Outcome;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.config.ConfigLoader;
import org.storagegateway.gateway.config.ManagementSettings;
import org.storagegateway.iscsi.target.ChapCredentials;
import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * libiscsi's command-line clients against one appliance serving four targets: open, one-way CHAP, mutual CHAP and
 * an initiator ACL; discovery, several LUNs, header digests, and refusals that leave the portal serving.
 */
class LibiscsiClientTest {
    private static final String PREFIX = "iqn.2026-11.org.storagegateway.test:";
    private static final String OPEN = PREFIX + "open";
    private static final String CHAP = PREFIX + "chap";
    private static final String MUTUAL = PREFIX + "mutual";
    private static final String ACL = PREFIX + "acl";
    private static final String ALLOWED_INITIATOR = "iqn.2026-11.org.example:allowed";
    private static final ChapCredentials ALICE = new ChapCredentials("alice", "alice-secret");
    private static final ChapCredentials GATEWAY = new ChapCredentials("gateway", "gateway-secret");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final DiskSettings LUN0 = new DiskSettings(0, 16L << 20, 512, Backing.MEMORY, null, null, false);
    private static final DiskSettings LUN1 = new DiskSettings(1, 32L << 20, 4096, Backing.MEMORY, null, null, false);
    private static final DiskSettings HUGE = new DiskSettings(2, ConfigLoader.MAX_DISK_BYTES, 512, Backing.MEMORY,
            null, null, false);
    private static final List<TargetSettings> TARGETS = List.of(
            new TargetSettings(OPEN, "open", Set.of(), ChapPolicy.NONE, List.of(LUN0, LUN1, HUGE)),
            new TargetSettings(CHAP, null, Set.of(), new ChapPolicy(ALICE, null), List.of(LUN0)),
            new TargetSettings(MUTUAL, null, Set.of(), new ChapPolicy(ALICE, GATEWAY), List.of(LUN0)),
            new TargetSettings(ACL, null, Set.of(ALLOWED_INITIATOR), ChapPolicy.NONE, List.of(LUN0)));

    @TempDir
    static Path data;
    private static Appliance appliance;

    @BeforeAll
    static void start() {
        ExternalTool.require("iscsi-inq");
        appliance = Appliance.start(settings(data));
    }

    private static ApplianceSettings settings(Path dataDirectory) {
        return new ApplianceSettings(dataDirectory, "127.0.0.1", 0, List.of(), ConfigLoader.DEFAULT_MAX_TRANSFER,
                ConfigLoader.defaultCache(dataDirectory), TestAppliances.embeddedStore(dataDirectory),
                ManagementSettings.disabled(), TARGETS);
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
    }

    private static String portal(String credentials) {
        return "iscsi://" + (credentials == null ? "" : credentials + "@") + "127.0.0.1:" + appliance.port();
    }

    private static Outcome run(String... command) throws Exception {
        return ExternalTool.run(TestAppliances.reportDirectory("libiscsi")
                .resolve(command[0] + "-" + RUNS.incrementAndGet() + ".log"), Duration.ofSeconds(60), command);
    }

    @Test
    void discoveryListsTheTargetsTheInitiatorMayUse() throws Exception {
        Outcome outcome = run("iscsi-ls", portal(null));
        assertEquals(0, outcome.exitCode(), outcome.output());
        for (String target : List.of(OPEN, CHAP, MUTUAL)) {
            assertTrue(outcome.output().contains("Target:" + target + " Portal:127.0.0.1:" + appliance.port()),
                    target + " missing from\n" + outcome.output());
        }
        assertFalse(outcome.output().contains(ACL), "SendTargets showed a target the ACL refuses:\n"
                + outcome.output());
        Outcome allowed = run("iscsi-ls", "-i", ALLOWED_INITIATOR, portal(null));
        assertTrue(allowed.output().contains("Target:" + ACL), allowed.output());
    }

    @Test
    void reportLunsListsEveryLun() throws Exception {
        Outcome outcome = run("iscsi-ls", "-s", "-i", ALLOWED_INITIATOR, portal(null));
        // -s logs in to each target in turn and stops at the first that wants CHAP; the open one comes first.
        assertTrue(outcome.output().contains("Lun:0    Type:DIRECT_ACCESS (Size:15M)"), outcome.output());
        assertTrue(outcome.output().contains("Lun:1    Type:DIRECT_ACCESS (Size:31M)"), outcome.output());
    }

    @Test
    void inquiryOverAnOpenTargetOnEveryLun() throws Exception {
        for (int lun : new int[] {0, 1}) {
            Outcome outcome = run("iscsi-inq", portal(null) + "/" + OPEN + "/" + lun);
            assertEquals(0, outcome.exitCode(), outcome.output());
            assertTrue(outcome.output().contains("Peripheral Device Type:DIRECT_ACCESS"), outcome.output());
        }
        Outcome capacity = run("iscsi-readcapacity16", portal(null) + "/" + OPEN + "/1");
        assertEquals(0, capacity.exitCode(), capacity.output());
        assertTrue(capacity.output().contains("LOGICAL BLOCK LENGTH IN BYTES:4096"), capacity.output());
    }

    @Test
    void a32TiBDiskIsAddressableToItsLastBlock() throws Exception {
        String url = portal(null) + "/" + OPEN + "/2";
        Outcome capacity = run("iscsi-readcapacity16", url);
        assertEquals(0, capacity.exitCode(), capacity.output());
        assertTrue(capacity.output().contains("Total size:" + ConfigLoader.MAX_DISK_BYTES), capacity.output());
        long lastMiB = ConfigLoader.MAX_DISK_BYTES - (1 << 20);
        Outcome io = run("qemu-io", "-f", "raw", "-c", "write -P 0x5a " + lastMiB + " 1M",
                "-c", "read -P 0x5a " + lastMiB + " 1M", "-c", "read -P 0 0 1M", url);
        assertEquals(0, io.exitCode(), io.output());
        assertFalse(io.output().contains("Pattern verification failed"), io.output());
    }

    @Test
    void logicalUnitNamesAreStableAcrossRestartsAndUniquePerGateway(@TempDir Path otherData) throws Exception {
        String url = portal(null) + "/" + OPEN + "/0";
        String before = run("iscsi-inq", "-e", "1", "-c", "131", url).output();
        String serial = run("iscsi-inq", "-e", "1", "-c", "128", url).output();  // -c takes decimal page codes
        assertTrue(before.contains("Designator Type:(3) NAA"), before);
        appliance.close();
        appliance = Appliance.start(settings(data));
        String after = run("iscsi-inq", "-e", "1", "-c", "131", portal(null) + "/" + OPEN + "/0").output();
        assertEquals(before, after, "VPD 83h changed across a restart");
        assertEquals(serial, run("iscsi-inq", "-e", "1", "-c", "128", portal(null) + "/" + OPEN + "/0").output());
        try (Appliance other = Appliance.start(settings(otherData))) {
            String elsewhere = run("iscsi-inq", "-e", "1", "-c", "131",
                    "iscsi://127.0.0.1:" + other.port() + "/" + OPEN + "/0").output();
            assertNotEquals(before, elsewhere, "two gateways gave a LUN the same NAA identifier");
        }
    }

    @Test
    void chapAdmitsTheRightSecretOnly() throws Exception {
        Outcome right = run("iscsi-inq", portal("alice%alice-secret") + "/" + CHAP + "/0");
        assertEquals(0, right.exitCode(), right.output());
        Outcome wrong = run("iscsi-inq", portal("alice%wrong-secret!") + "/" + CHAP + "/0");
        assertNotEquals(0, wrong.exitCode(), wrong.output());
        Outcome none = run("iscsi-inq", portal(null) + "/" + CHAP + "/0");
        assertNotEquals(0, none.exitCode(), none.output());
        Outcome again = run("iscsi-inq", portal("alice%alice-secret") + "/" + CHAP + "/0");
        assertEquals(0, again.exitCode(), "the portal stopped serving after refusals: " + again.output());
    }

    @Test
    void mutualChapProvesTheTargetToo() throws Exception {
        String base = portal("alice%alice-secret") + "/" + MUTUAL + "/0";
        Outcome right = run("iscsi-inq", base + "?target_user=gateway&target_password=gateway-secret");
        assertEquals(0, right.exitCode(), right.output());
        Outcome impostor = run("iscsi-inq", base + "?target_user=gateway&target_password=not-the-secret");
        assertNotEquals(0, impostor.exitCode(), "the initiator accepted a target that does not know the secret");
    }

    @Test
    void aclRefusesOtherInitiators() throws Exception {
        Outcome stranger = run("iscsi-inq", "-i", "iqn.2026-11.org.example:stranger", portal(null) + "/" + ACL + "/0");
        assertNotEquals(0, stranger.exitCode(), stranger.output());
        Outcome allowed = run("iscsi-inq", "-i", ALLOWED_INITIATOR, portal(null) + "/" + ACL + "/0");
        assertEquals(0, allowed.exitCode(), allowed.output());
    }

    @Test
    void headerDigestsWork() throws Exception {
        Outcome outcome = run("iscsi-inq", portal(null) + "/" + OPEN + "/0?header_digest=crc32c");
        assertEquals(0, outcome.exitCode(), outcome.output());
    }
}
