package org.storagegateway.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.iscsi.server.BasicEndToEndTest.read10;
import static org.storagegateway.iscsi.server.BasicEndToEndTest.write10;
import static org.storagegateway.iscsi.server.DataTransferEndToEndTest.keys;
import static org.storagegateway.iscsi.server.DataTransferEndToEndTest.random;

import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.pdu.R2tPdu;
import org.storagegateway.iscsi.pdu.TaskFunction;
import org.storagegateway.iscsi.pdu.TaskManagementRequestPdu;
import org.storagegateway.iscsi.pdu.TaskManagementResponseCode;
import org.storagegateway.iscsi.pdu.TaskManagementResponsePdu;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.testing.FakeScsiDevice;
import org.storagegateway.iscsi.testing.TestInitiator;
import org.storagegateway.iscsi.testing.TestPortal;

/**
 * The transport's memory follows what initiators send, not what their EDTLs claim: claims alone allocate nothing,
 * unsolicited data is bounded by FirstBurstLength per command, and R2Ts go out only within the connection's write
 * budget, in CmdSN order, flowing on as earlier writes finish or are aborted.
 */
class WriteBudgetEndToEndTest {
    private static final int CLAIM = 64 << 20;
    private static final int WINDOW = 128;

    private TestPortal portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    private TestInitiator loggedIn(Map<String, String> keys) throws Exception {
        TestInitiator initiator = new TestInitiator(portal.port());
        assertEquals(0, initiator.login(TestPortal.TARGET, keys).statusClass());
        initiator.holdR2ts = true;
        return initiator;
    }

    /** The R2Ts the target sent (oldest first, not answered), once it has processed everything sent so far. */
    private static List<R2tPdu> solicitedAfterBarrier(TestInitiator initiator) throws Exception {
        // The target handles a connection's PDUs in order: its answer to this ping follows every R2T it sent for
        // the commands before it. That the ping is answered at all shows waiting writes do not block NOP-Outs.
        initiator.ping(new byte[0]);
        return initiator.takeHeldR2ts();
    }

    private static List<Integer> itts(List<R2tPdu> r2ts) {
        return r2ts.stream().map(R2tPdu::initiatorTaskTag).toList();
    }

    /** 128 commands, each claiming 64 MiB; returns their ITTs. The CDB is never executed: no data follows. */
    private static List<Integer> claimWindowFull(TestInitiator initiator, byte[] dataOut) throws Exception {
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < WINDOW; i++) {
            tags.add(initiator.start(0, write10(0, 0xFFFF), CLAIM, false, dataOut));
        }
        return tags;
    }

    @Test
    void claimsWithoutDataAllocateNothing() throws Exception {
        PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
        portal = new TestPortal(new FakeScsiDevice(16, true), LoginSettings.defaults(), null, CLAIM,
                builder -> builder.allocator(allocator));
        try (TestInitiator initiator = loggedIn(keys("InitialR2T", "Yes", "ImmediateData", "No"))) {
            List<Integer> tags = claimWindowFull(initiator, new byte[0]);
            List<Integer> solicited = itts(solicitedAfterBarrier(initiator));
            // The default budget (128 MiB) holds two 64 MiB writes: the first two in CmdSN order get their R2T.
            assertEquals(tags.subList(0, 2), solicited);
            long used = allocator.metric().usedDirectMemory();
            assertTrue(used < 16 << 20, "claims of 8 GiB left " + used + " bytes of direct memory in use");
        }
    }

    @Test
    void unsolicitedDataIsBoundedByTheFirstBurstOfEachCommand() throws Exception {
        PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
        int firstBurst = 256 << 10;
        // 64 KiB segments: each command brings 64 KiB of immediate data and three unsolicited Data-Outs.
        LoginSettings settings = new LoginSettings(64 << 10, LoginSettings.MAX_24_BIT - 1023, firstBurst, true,
                false, 1, 2, 20, true, true, ChapPolicy.NONE);
        portal = new TestPortal(new FakeScsiDevice(16, true), settings, null, CLAIM,
                builder -> builder.allocator(allocator));
        try (TestInitiator initiator = loggedIn(keys("InitialR2T", "No", "ImmediateData", "Yes",
                "FirstBurstLength", String.valueOf(firstBurst), "MaxRecvDataSegmentLength", "262144"))) {
            assertEquals("No", initiator.negotiated().get("InitialR2T"));
            List<Integer> tags = claimWindowFull(initiator, random(firstBurst, 1));
            assertEquals(tags.subList(0, 2), itts(solicitedAfterBarrier(initiator)));
            long used = allocator.metric().usedDirectMemory();
            // 128 first bursts, plus a few 4 MiB pool chunks for receive buffers and the pool's granularity;
            // holding what the EDTLs claim would take 8 GiB, and even the two writes granted R2Ts 128 MiB.
            long bound = (long) WINDOW * firstBurst + (16 << 20);
            assertTrue(used <= bound, String.format("%d bytes in use, bound %d", used, bound));
        }
    }

    @Test
    void r2tsBeyondTheBudgetWaitAndFlowAsEarlierWritesFinish() throws Exception {
        int write = 384 << 10;   // two fit in the 1 MiB budget, three do not
        portal = new TestPortal(new FakeScsiDevice(8192, true), LoginSettings.defaults(), null, 1 << 20,
                builder -> builder.writeBudget(1 << 20));
        try (TestInitiator initiator = loggedIn(keys("InitialR2T", "Yes", "ImmediateData", "No"))) {
            List<Integer> tags = new ArrayList<>();
            List<byte[]> data = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                data.add(random(write, 10 + i));
                tags.add(initiator.start(0, write10(i * 1024, write / 512), write, false, data.get(i)));
            }
            List<R2tPdu> first = solicitedAfterBarrier(initiator);
            assertEquals(tags.subList(0, 2), itts(first));

            // Reads are not held up by writes waiting for budget.
            assertEquals(0, initiator.execute(0, read10(7000, 8), 4096, true, null).status());

            // The first write completes; its share goes to the third, whose R2T precedes the first's status.
            initiator.answer(first.get(0));
            assertEquals(0, initiator.await(tags.get(0)).status());
            List<R2tPdu> next = initiator.takeHeldR2ts();
            assertEquals(List.of(tags.get(2)), itts(next));

            // From here on every R2T is answered as it comes: the rest flow as shares free up.
            initiator.holdR2ts = false;
            initiator.answer(first.get(1));
            initiator.answer(next.get(0));
            for (int i = 1; i < tags.size(); i++) {
                TestInitiator.Completed done = initiator.await(tags.get(i));
                assertEquals(0, done.status());
                assertEquals(1, done.r2ts(), "one R2T for the whole write");
            }
            for (int i = 0; i < data.size(); i++) {
                int at = i * 1024 * 512;
                assertArrayEquals(data.get(i), Arrays.copyOfRange(portal.device.disk(), at, at + write),
                        "write " + i);
            }
        }
    }

    @Test
    void anAbortedWaitingWriteGivesUpItsPlace() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(8192, true), LoginSettings.defaults(), null, 1 << 20,
                builder -> builder.writeBudget(1 << 20));
        try (TestInitiator initiator = loggedIn(keys("InitialR2T", "Yes", "ImmediateData", "No"))) {
            byte[] big = random(768 << 10, 20);
            byte[] other = random(768 << 10, 21);
            byte[] small = random(256 << 10, 22);
            int cmdSN = initiator.cmdSN();
            int holder = initiator.start(0, write10(0, big.length / 512), big.length, false, big);
            int waiting = initiator.start(0, write10(2048, other.length / 512), other.length, false, other);
            int behind = initiator.start(0, write10(4096, small.length / 512), small.length, false, small);
            List<R2tPdu> r2ts = solicitedAfterBarrier(initiator);
            assertEquals(List.of(holder), itts(r2ts),
                    "the small write would fit, but waits behind the large one in CmdSN order");

            initiator.send(new TaskManagementRequestPdu(true, TaskFunction.ABORT_TASK, 0, initiator.newItt(),
                    waiting, initiator.cmdSN(), initiator.expStatSN(), cmdSN + 1, 0), new byte[0]);
            TaskManagementResponsePdu response = assertInstanceOf(TaskManagementResponsePdu.class,
                    initiator.next().pdu());
            assertEquals(TaskManagementResponseCode.FUNCTION_COMPLETE, response.response());
            List<R2tPdu> granted = initiator.takeHeldR2ts();
            assertEquals(List.of(behind), itts(granted), "the aborted write's place went to the next in line");

            for (R2tPdu r2t : r2ts) {
                initiator.answer(r2t);
            }
            for (R2tPdu r2t : granted) {
                initiator.answer(r2t);
            }
            assertEquals(0, initiator.await(holder).status());
            assertEquals(0, initiator.await(behind).status());
            assertFalse(initiator.isCompleted(waiting), "an aborted task gets no response");
            byte[] disk = portal.device.disk();
            assertArrayEquals(big, Arrays.copyOfRange(disk, 0, big.length));
            assertArrayEquals(small, Arrays.copyOfRange(disk, 4096 * 512, 4096 * 512 + small.length));
            assertArrayEquals(new byte[other.length], Arrays.copyOfRange(disk, 2048 * 512, 2048 * 512 + other.length));
        }
    }
}
