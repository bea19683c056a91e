package org.storagegateway.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.iscsi.server.BasicEndToEndTest.read10;
import static org.storagegateway.iscsi.server.BasicEndToEndTest.write10;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.testing.FakeScsiDevice;
import org.storagegateway.iscsi.testing.TestInitiator;
import org.storagegateway.iscsi.testing.TestPortal;

/** Write data by every route (immediate, unsolicited, R2T), Data-In splitting, limits, concurrency, digests. */
class DataTransferEndToEndTest {
    private TestPortal portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    static Map<String, String> keys(String... pairs) {
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            keys.put(pairs[i], pairs[i + 1]);
        }
        return keys;
    }

    static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private TestInitiator loggedIn(Map<String, String> keys) throws Exception {
        TestInitiator initiator = new TestInitiator(portal.port());
        assertEquals(0, initiator.login(TestPortal.TARGET, keys).statusClass());
        return initiator;
    }

    private static LoginSettings settings(int maxRecv, int maxBurst, int firstBurst, int maxOutstandingR2T) {
        return new LoginSettings(maxRecv, maxBurst, firstBurst, true, false, maxOutstandingR2T, 2, 20, true, true,
                ChapPolicy.NONE);
    }

    private void roundTrip(TestInitiator initiator, int lba, int blocks, long seed, int expectedR2ts)
            throws Exception {
        byte[] data = random(blocks * 512, seed);
        TestInitiator.Completed write = initiator.execute(0, write10(lba, blocks), data.length, false, data);
        assertEquals(0, write.status());
        assertEquals(expectedR2ts, write.r2ts(), "R2Ts for the write");
        TestInitiator.Completed read = initiator.execute(0, read10(lba, blocks), data.length, true, null);
        assertEquals(0, read.status());
        assertArrayEquals(data, read.dataIn());
        assertArrayEquals(data, Arrays.copyOfRange(portal.device.disk(), lba * 512, lba * 512 + data.length));
    }

    @Test
    void writeSolicitedByR2tsOnly() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(4096, true), settings(8192, 16384, 8192, 1), null, 16 << 20);
        try (TestInitiator initiator = loggedIn(keys("ImmediateData", "No", "InitialR2T", "Yes",
                "MaxBurstLength", "16384", "MaxRecvDataSegmentLength", "8192"))) {
            // 64 KiB in bursts of 16 KiB: 4 R2Ts, each answered by two 8 KiB Data-Outs.
            roundTrip(initiator, 0, 128, 1, 4);
        }
    }

    @Test
    void writeWithImmediateUnsolicitedAndSolicitedData() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(4096, false), settings(4096, 16384, 8192, 2), null, 16 << 20);
        try (TestInitiator initiator = loggedIn(keys("ImmediateData", "Yes", "InitialR2T", "No",
                "FirstBurstLength", "8192", "MaxBurstLength", "16384", "MaxOutstandingR2T", "2"))) {
            // 4 KiB immediate + 4 KiB unsolicited Data-Out = FirstBurstLength, then 56 KiB in 16 KiB R2Ts.
            roundTrip(initiator, 16, 128, 2, 4);
            // A write that fits in the immediate data needs no R2T.
            roundTrip(initiator, 200, 8, 3, 0);
        }
    }

    @Test
    void dataInIsSplitByTheInitiatorsSegmentLimitAndMaxBurst() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(4096, false));
        try (TestInitiator initiator = loggedIn(keys("MaxRecvDataSegmentLength", "4096", "MaxBurstLength", "8192",
                "FirstBurstLength", "8192"))) {
            byte[] data = random(64 * 512, 4);
            System.arraycopy(data, 0, portal.device.disk(), 0, data.length);
            TestInitiator.Completed read = initiator.execute(0, read10(0, 64), data.length, true, null);
            assertArrayEquals(data, read.dataIn());
            assertEquals(8, read.dataInPdus());
            assertEquals(4, read.dataInSequences(), "one F bit per MaxBurstLength sequence");
            assertTrue(read.statusInDataIn());
        }
    }

    @Test
    void residualsAreReported() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(4096, false));
        try (TestInitiator initiator = loggedIn(keys())) {
            // The initiator expects 8 blocks but asks for 4: underflow of 2048 bytes.
            TestInitiator.Completed under = initiator.execute(0, read10(0, 4), 4096, true, null);
            assertTrue(under.residual().underflow());
            assertEquals(2048, under.residual().count());
            assertEquals(2048, under.dataIn().length);
            // The initiator expects 2 blocks but asks for 4: overflow of 1024.
            TestInitiator.Completed over = initiator.execute(0, read10(0, 4), 1024, true, null);
            assertTrue(over.residual().overflow());
            assertEquals(1024, over.residual().count());
        }
    }

    @Test
    void checkConditionCarriesSenseData() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(16, false));
        try (TestInitiator initiator = loggedIn(keys())) {
            TestInitiator.Completed outOfRange = initiator.execute(0, read10(100, 1), 512, true, null);
            assertEquals(0x02, outOfRange.status());
            assertFalse(outOfRange.statusInDataIn());
            assertEquals(0x05, outOfRange.sense()[2] & 0x0F);
            assertEquals(0x21, outOfRange.sense()[12]);
        }
    }

    @Test
    void transfersAboveTheMaximumAreRefusedAndTheirDataDiscarded() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(4096, false), LoginSettings.defaults(), null, 64 * 1024);
        try (TestInitiator initiator = loggedIn(keys("ImmediateData", "Yes", "InitialR2T", "No",
                "FirstBurstLength", "65536", "MaxRecvDataSegmentLength", "262144"))) {
            byte[] data = random(256 * 512, 5);
            TestInitiator.Completed refused = initiator.execute(0, write10(0, 256), data.length, false, data);
            assertEquals(0x02, refused.status());
            assertEquals(0x05, refused.sense()[2] & 0x0F);
            assertEquals(0x24, refused.sense()[12]);
            assertEquals(0, refused.r2ts());
            assertEquals(0, portal.device.executedCount(), "never reached the SCSI layer");
            // The connection is still in step: the next command works.
            roundTrip(initiator, 0, 8, 6, 0);
        }
    }

    @Test
    void thirtyTwoCommandsRunConcurrentlyOnOneConnection() throws Exception {
        FakeScsiDevice device = new FakeScsiDevice(4096, true);
        portal = new TestPortal(device);
        try (TestInitiator initiator = loggedIn(keys())) {
            device.requireConcurrency(32);
            List<Integer> tags = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                tags.add(initiator.start(0, read10(i * 8, 8), 4096, true, null));
            }
            for (int tag : tags) {
                assertEquals(0, initiator.await(tag).status(), "a command timed out waiting for 31 others");
            }
            assertTrue(device.maxConcurrentExecutions() >= 32, "max concurrent " + device.maxConcurrentExecutions());
        }
    }

    @Test
    void digestsProtectEveryPduAfterLogin() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(4096, true));
        try (TestInitiator initiator = loggedIn(keys("HeaderDigest", "CRC32C", "DataDigest", "CRC32C",
                "InitialR2T", "Yes", "ImmediateData", "Yes", "FirstBurstLength", "4096"))) {
            assertEquals("CRC32C", initiator.negotiated().get("HeaderDigest"));
            assertEquals("CRC32C", initiator.negotiated().get("DataDigest"));
            roundTrip(initiator, 0, 33, 7, 1);
            roundTrip(initiator, 100, 1, 8, 0);
        }
    }
}
