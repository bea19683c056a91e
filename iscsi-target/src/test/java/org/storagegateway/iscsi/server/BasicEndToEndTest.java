package org.storagegateway.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.pdu.LoginResponsePdu;
import org.storagegateway.iscsi.testing.FakeScsiDevice;
import org.storagegateway.iscsi.testing.TestInitiator;
import org.storagegateway.iscsi.testing.TestPortal;

class BasicEndToEndTest {
    private TestPortal portal;

    @BeforeEach
    void start() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(4096, false));
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    static byte[] write10(int lba, int blocks) {
        return new byte[] {0x2A, 0, (byte) (lba >> 24), (byte) (lba >> 16), (byte) (lba >> 8), (byte) lba, 0,
                (byte) (blocks >> 8), (byte) blocks, 0};
    }

    static byte[] read10(int lba, int blocks) {
        byte[] cdb = write10(lba, blocks);
        cdb[0] = 0x28;
        return cdb;
    }

    @Test
    void logsInWritesAndReadsBack() throws Exception {
        try (TestInitiator initiator = new TestInitiator(portal.port())) {
            LoginResponsePdu response = initiator.login(TestPortal.TARGET, Map.of("ImmediateData", "Yes",
                    "InitialR2T", "No", "MaxRecvDataSegmentLength", "65536"));
            assertEquals(0, response.statusClass(), "login status");
            assertTrue(initiator.tsih() != 0);
            assertEquals(1, portal.device.added.size());
            assertEquals(TestInitiator.INITIATOR_NAME + ",i,0x00023d000001",
                    portal.device.added.get(0).initiatorPortName());
            assertEquals(TestPortal.TARGET + ",t,0x0001", portal.device.added.get(0).targetPortName());

            TestInitiator.Completed tur = initiator.execute(0, new byte[6], 0, false, null);
            assertEquals(0, tur.status());

            byte[] data = new byte[64 * 512];
            new Random(1).nextBytes(data);
            TestInitiator.Completed write = initiator.execute(0, write10(8, 64), data.length, false, data);
            assertEquals(0, write.status());
            TestInitiator.Completed read = initiator.execute(0, read10(8, 64), data.length, true, null);
            assertEquals(0, read.status());
            assertTrue(read.statusInDataIn(), "GOOD status collapsed into the last Data-In");
            assertArrayEquals(data, read.dataIn());
        }
    }
}
