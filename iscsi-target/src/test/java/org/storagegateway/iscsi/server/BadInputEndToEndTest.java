package org.storagegateway.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.iscsi.server.BasicEndToEndTest.read10;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.DataOutPdu;
import org.storagegateway.iscsi.pdu.LoginResponsePdu;
import org.storagegateway.iscsi.pdu.NopOutPdu;
import org.storagegateway.iscsi.pdu.RejectPdu;
import org.storagegateway.iscsi.pdu.RejectReason;
import org.storagegateway.iscsi.pdu.ScsiCommandPdu;
import org.storagegateway.iscsi.testing.FakeScsiDevice;
import org.storagegateway.iscsi.testing.TestInitiator;
import org.storagegateway.iscsi.testing.TestPortal;
import org.storagegateway.scsi.TaskAttribute;

/** Malformed and hostile input: each case ends in a Reject or a closed connection, and the portal keeps serving. */
class BadInputEndToEndTest {
    private TestPortal portal;

    @BeforeEach
    void start() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(256, false));
    }

    @AfterEach
    void stillServesThenStop() throws Exception {
        try (TestInitiator fresh = new TestInitiator(portal.port())) {
            fresh.isid(new byte[] {0, 2, 0, 0, 0x7F, 1});
            assertEquals(0, fresh.login(TestPortal.TARGET, Map.of()).statusClass());
            assertEquals(0, fresh.execute(0, new byte[6], 0, false, null).status());
        } finally {
            portal.close();
        }
    }

    private TestInitiator loggedIn(Map<String, String> keys) throws Exception {
        TestInitiator initiator = new TestInitiator(portal.port());
        assertEquals(0, initiator.login(TestPortal.TARGET, keys).statusClass());
        return initiator;
    }

    private static byte[] header(int opcode) {
        byte[] bytes = new byte[Bhs.LENGTH];
        bytes[0] = (byte) opcode;
        bytes[1] = (byte) 0x80;
        return bytes;
    }

    @Test
    void unknownOpcodeIsRejectedAndTheSessionGoesOn() throws Exception {
        try (TestInitiator initiator = loggedIn(Map.of())) {
            initiator.sendRaw(header(0x1C));
            RejectPdu reject = assertInstanceOf(RejectPdu.class, initiator.next().pdu());
            assertEquals(RejectReason.COMMAND_NOT_SUPPORTED, reject.reason());
            assertEquals(0, initiator.ping(new byte[0]).data().length);
        }
    }

    @Test
    void invalidFieldsAreRejected() throws Exception {
        try (TestInitiator initiator = loggedIn(Map.of())) {
            ByteBuf command = Unpooled.buffer();
            new ScsiCommandPdu(true, true, true, false, TaskAttribute.SIMPLE, 0, 5, 512, initiator.cmdSN(),
                    initiator.expStatSN(), java.util.Arrays.copyOf(read10(0, 1), 16)).write(command, 0);
            command.setByte(1, command.getByte(1) | 0x07);   // reserved task attribute
            byte[] bytes = new byte[Bhs.LENGTH];
            command.getBytes(0, bytes);
            initiator.sendRaw(bytes);
            assertEquals(RejectReason.INVALID_PDU_FIELD, ((RejectPdu) initiator.next().pdu()).reason());
        }
    }

    @Test
    void truncatedHeaderThenClose() throws Exception {
        try (TestInitiator initiator = loggedIn(Map.of())) {
            initiator.sendRaw(new byte[20]);
        }
    }

    @Test
    void oversizedSegmentClosesTheConnection() throws Exception {
        try (TestInitiator initiator = loggedIn(Map.of())) {
            byte[] bytes = header(0x00);
            bytes[0] |= 0x40;
            bytes[5] = (byte) 0x10;   // 1 MiB, beyond the 256 KiB we declared
            initiator.sendRaw(bytes);
            assertTrue(initiator.closedByTarget());
        }
    }

    @Test
    void wrongDataDigestIsRejectedThenTheConnectionCloses() throws Exception {
        try (TestInitiator initiator = loggedIn(Map.of("DataDigest", "CRC32C", "HeaderDigest", "None"))) {
            ByteBuf buffer = Unpooled.buffer();
            new NopOutPdu(true, 0, 9, Bhs.NO_TAG, initiator.cmdSN(), initiator.expStatSN()).write(buffer, 4);
            buffer.writeInt(0x01020304).writeInt(0xDEADBEEF);   // data, then a wrong digest
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.getBytes(0, bytes);
            initiator.sendRaw(bytes);
            assertEquals(RejectReason.DATA_DIGEST_ERROR, ((RejectPdu) initiator.receive().pdu()).reason());
            assertTrue(initiator.closedByTarget());
        }
    }

    @Test
    void commandsOutsideTheCmdSnWindowAreIgnored() throws Exception {
        try (TestInitiator initiator = loggedIn(Map.of())) {
            initiator.send(new ScsiCommandPdu(false, true, false, false, TaskAttribute.SIMPLE, 0, 0x999,
                    0, initiator.cmdSN() + 1000, initiator.expStatSN(), new byte[16]), new byte[0]);
            initiator.send(new ScsiCommandPdu(false, true, false, false, TaskAttribute.SIMPLE, 0, 0x998,
                    0, initiator.cmdSN() - 1, initiator.expStatSN(), new byte[16]), new byte[0]);
            // The next in-window command is answered, the two outside never are.
            assertEquals(0, initiator.execute(0, new byte[6], 0, false, null).status());
            assertEquals(1, portal.device.executedCount());
        }
    }

    @Test
    void dataOutForAnUnknownTaskIsRejected() throws Exception {
        try (TestInitiator initiator = loggedIn(Map.of())) {
            initiator.send(new DataOutPdu(true, 0, 0x4444, Bhs.NO_TAG, initiator.expStatSN(), 0, 0), new byte[512]);
            assertEquals(RejectReason.INVALID_PDU_FIELD, ((RejectPdu) initiator.next().pdu()).reason());
            assertEquals(0, initiator.execute(0, new byte[6], 0, false, null).status());
        }
    }

    @Test
    void garbageDuringLoginEndsTheLogin() throws Exception {
        try (TestInitiator initiator = new TestInitiator(portal.port())) {
            byte[] garbage = header(0x03);
            garbage[0] = 0x43;
            garbage[1] = (byte) (0x80 | (2 << 2) | 3);   // CSG 2 is reserved
            initiator.sendRaw(garbage);
            LoginResponsePdu response = (LoginResponsePdu) initiator.receive().pdu();
            assertEquals(0x0200, response.statusClass() << 8 | response.statusDetail());
            assertTrue(initiator.closedByTarget());
        }
        try (TestInitiator initiator = new TestInitiator(portal.port())) {
            initiator.send(new NopOutPdu(true, 0, 1, Bhs.NO_TAG, 1, 0), new byte[0]);
            LoginResponsePdu response = (LoginResponsePdu) initiator.receive().pdu();
            assertEquals(0x020B, response.statusClass() << 8 | response.statusDetail());
            assertTrue(initiator.closedByTarget());
        }
    }
}
