package org.storagegateway.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.iscsi.server.BasicEndToEndTest.read10;
import static org.storagegateway.iscsi.server.DataTransferEndToEndTest.keys;
import static org.storagegateway.iscsi.server.DataTransferEndToEndTest.random;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.pdu.NopInPdu;
import org.storagegateway.iscsi.pdu.TaskFunction;
import org.storagegateway.iscsi.pdu.TaskManagementRequestPdu;
import org.storagegateway.iscsi.pdu.TaskManagementResponseCode;
import org.storagegateway.iscsi.pdu.TaskManagementResponsePdu;
import org.storagegateway.iscsi.testing.FakeScsiDevice;
import org.storagegateway.iscsi.testing.TestInitiator;
import org.storagegateway.iscsi.testing.TestPortal;

/**
 * A read's data-in is built in a direct buffer of the connection's allocator, sent as it is, and given back once
 * written, or once the task is aborted or its connection is gone: the allocator's direct memory returns to where it
 * was. The allocator is unpooled, so its metric counts exactly the buffers still held.
 */
class DataInBufferEndToEndTest {
    private static final int BLOCKS = 4096;
    private static final int HELD_BLOCKS = 256;

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    private TestPortal portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    private void start(boolean mayBlock) throws Exception {
        portal = new TestPortal(new FakeScsiDevice(BLOCKS, mayBlock), LoginSettings.defaults(), null, 16 << 20,
                builder -> builder.allocator(allocator));
    }

    private TestInitiator loggedIn() throws Exception {
        TestInitiator initiator = new TestInitiator(portal.port());
        assertEquals(0, initiator.login(TestPortal.TARGET, keys("MaxRecvDataSegmentLength", "8192")).statusClass());
        return initiator;
    }

    /**
     * Direct memory in use once the target has handled (and written the answers to) everything sent so far: the
     * answer to this ping follows every PDU written before it, and a task's buffers are released as its last PDU is
     * written. The ping's own answer may still be on its way out (its 48-byte header, say), so callers compare with
     * the size of a data-in buffer rather than with an exact figure.
     */
    private long usedAfterBarrier(TestInitiator initiator) throws Exception {
        initiator.ping(new byte[0]);
        return allocator.metric().usedDirectMemory();
    }

    @Test
    void readsAreSentFromTheTransportsBufferAndGiveItBack() throws Exception {
        start(false);
        byte[] disk = portal.device.disk();
        System.arraycopy(random(disk.length, 7), 0, disk, 0, disk.length);
        try (TestInitiator initiator = loggedIn()) {
            for (int lba = 0; lba < BLOCKS; lba += 512) {
                TestInitiator.Completed done = initiator.execute(0, read10(lba, 512), 256 << 10, true, null);
                assertEquals(0, done.status());
                assertEquals(32, done.dataInPdus(), "256 KiB in 8 KiB Data-In PDUs");
                assertArrayEquals(Arrays.copyOfRange(disk, lba * 512, (lba + 512) * 512), done.dataIn());
            }
            long used = usedAfterBarrier(initiator);
            assertTrue(used < 256 << 10, used + " bytes of direct memory still in use");
        }
    }

    @Test
    void anAbortedReadGivesItsBufferBack() throws Exception {
        start(true);
        try (TestInitiator initiator = loggedIn()) {
            int cmdSN = initiator.cmdSN();
            int held = initiator.start(0, read10(FakeScsiDevice.HELD_LBA, HELD_BLOCKS), HELD_BLOCKS * 512, true,
                    null);
            assertTrue(portal.device.awaitHeldStarted(20));
            initiator.send(new TaskManagementRequestPdu(true, TaskFunction.ABORT_TASK, 0, initiator.newItt(), held,
                    initiator.cmdSN(), initiator.expStatSN(), cmdSN, 0), new byte[0]);
            // The ping's answer comes once the target has handled the abort: releasing the read before that would
            // let it complete first, and there would be no task left to abort.
            assertInstanceOf(NopInPdu.class, initiator.ping(new byte[0]).pdu());
            portal.device.releaseHeld();
            TaskManagementResponsePdu response = assertInstanceOf(TaskManagementResponsePdu.class,
                    initiator.next().pdu());
            assertEquals(TaskManagementResponseCode.FUNCTION_COMPLETE, response.response());
            long used = usedAfterBarrier(initiator);
            assertTrue(used < HELD_BLOCKS * 512, "the aborted read's data-in is still held: " + used + " bytes");
        }
    }

    @Test
    void aReadWhoseConnectionDiedGivesItsBufferBack() throws Exception {
        start(true);
        try (TestInitiator initiator = loggedIn()) {
            initiator.start(0, read10(FakeScsiDevice.HELD_LBA, HELD_BLOCKS), HELD_BLOCKS * 512, true, null);
            assertTrue(portal.device.awaitHeldStarted(20));
        }
        portal.device.releaseHeld();
        // Closing the server waits for the session to end, which waits for its executing task to finish.
        portal.close();
        portal = null;
        assertEquals(0, allocator.metric().usedDirectMemory());
    }
}
