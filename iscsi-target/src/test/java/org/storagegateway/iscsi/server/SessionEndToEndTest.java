package org.storagegateway.iscsi.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.iscsi.server.BasicEndToEndTest.read10;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.pdu.AsyncMessagePdu;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.LoginResponsePdu;
import org.storagegateway.iscsi.pdu.LogoutReason;
import org.storagegateway.iscsi.pdu.LogoutRequestPdu;
import org.storagegateway.iscsi.pdu.LogoutResponseCode;
import org.storagegateway.iscsi.pdu.LogoutResponsePdu;
import org.storagegateway.iscsi.pdu.NopInPdu;
import org.storagegateway.iscsi.pdu.TaskFunction;
import org.storagegateway.iscsi.pdu.TaskManagementRequestPdu;
import org.storagegateway.iscsi.pdu.TaskManagementResponseCode;
import org.storagegateway.iscsi.pdu.TaskManagementResponsePdu;
import org.storagegateway.iscsi.pdu.TextRequestPdu;
import org.storagegateway.iscsi.pdu.TextResponsePdu;
import org.storagegateway.iscsi.target.ChapCredentials;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.testing.FakeScsiDevice;
import org.storagegateway.iscsi.testing.TestInitiator;
import org.storagegateway.iscsi.testing.TestPortal;

/** Login variants, reinstatement, several sessions, task management, NOP, Text and Logout. */
class SessionEndToEndTest {
    private TestPortal portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    private TestInitiator loggedIn() throws Exception {
        TestInitiator initiator = new TestInitiator(portal.port());
        assertEquals(0, initiator.login(TestPortal.TARGET, Map.of()).statusClass());
        return initiator;
    }

    @Test
    void chapLoginSucceedsWithTheSecretAndFailsWithoutIt() throws Exception {
        ChapPolicy chap = new ChapPolicy(new ChapCredentials("alice", "secret-of-alice"), null);
        portal = new TestPortal(new FakeScsiDevice(64, false), LoginSettings.defaults(), chap, 16 << 20);
        try (TestInitiator initiator = new TestInitiator(portal.port())) {
            LoginResponsePdu response = initiator.login(TestPortal.CHAP_TARGET, Map.of(), "alice", "secret-of-alice");
            assertEquals(0, response.statusClass());
            assertEquals(0, initiator.execute(0, new byte[6], 0, false, null).status());
        }
        try (TestInitiator intruder = new TestInitiator(portal.port())) {
            LoginResponsePdu response = intruder.login(TestPortal.CHAP_TARGET, Map.of(), "alice", "wrong-secret-1");
            assertEquals(0x0201, response.statusClass() << 8 | response.statusDetail());
            assertTrue(intruder.closedByTarget());
        }
        try (TestInitiator noAuth = new TestInitiator(portal.port())) {
            assertNotEquals(0, noAuth.login(TestPortal.CHAP_TARGET, Map.of()).statusClass());
        }
    }

    @Test
    void discoverySessionAnswersSendTargetsAndRefusesScsi() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(64, false));
        try (TestInitiator initiator = new TestInitiator(portal.port())) {
            assertEquals(0, initiator.login(null, Map.of("MaxRecvDataSegmentLength", "8192")).statusClass());
            initiator.send(new TextRequestPdu(true, true, false, 0, initiator.newItt(), Bhs.NO_TAG,
                    initiator.cmdSN(), initiator.expStatSN()), "SendTargets=All\0".getBytes(StandardCharsets.UTF_8));
            TestInitiator.Received reply = initiator.next();
            TextResponsePdu text = assertInstanceOf(TextResponsePdu.class, reply.pdu());
            assertTrue(text.finalFlag());
            String answer = new String(reply.data(), StandardCharsets.UTF_8);
            assertTrue(answer.contains("TargetName=" + TestPortal.TARGET), answer);
            assertTrue(answer.contains("TargetAddress=127.0.0.1:3260,1"), answer);

            initiator.start(0, new byte[6], 0, false, null, true);
            assertEquals(0x3F, initiator.next().pdu().opcode().code(), "SCSI command in discovery is rejected");
        }
    }

    @Test
    void pingIsEchoedAndLogoutClosesTheSession() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(64, false));
        try (TestInitiator initiator = loggedIn()) {
            byte[] payload = "are you there?".getBytes(StandardCharsets.US_ASCII);
            TestInitiator.Received echo = initiator.ping(payload);
            assertInstanceOf(NopInPdu.class, echo.pdu());
            assertArrayEquals(payload, echo.data());

            initiator.send(new LogoutRequestPdu(true, LogoutReason.CLOSE_SESSION, initiator.newItt(), 0,
                    initiator.cmdSN(), initiator.expStatSN()), new byte[0]);
            LogoutResponsePdu logout = assertInstanceOf(LogoutResponsePdu.class, initiator.next().pdu());
            assertEquals(LogoutResponseCode.CLOSED_SUCCESSFULLY, logout.response());
            assertTrue(initiator.closedByTarget());
        }
        waitFor(() -> portal.device.removed.size() == 1);
        assertTrue(portal.server.sessions().all().isEmpty());
    }

    @Test
    void aClosingPortalAsksForALogoutAndHonoursIt() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(64, false));
        try (TestInitiator initiator = loggedIn()) {
            // An answered ping proves the session is in full feature phase on the target's side, where shutdown
            // finds it; a connection still finishing its login is simply closed.
            assertInstanceOf(NopInPdu.class, initiator.ping(new byte[0]).pdu());
            Thread closer = new Thread(portal::close);
            closer.start();
            AsyncMessagePdu request = assertInstanceOf(AsyncMessagePdu.class, initiator.next().pdu());
            assertEquals(AsyncMessagePdu.EVENT_LOGOUT_REQUESTED, request.asyncEvent());
            assertTrue(request.parameter3() > 0, "no time given to log out");

            initiator.send(new LogoutRequestPdu(true, LogoutReason.CLOSE_SESSION, initiator.newItt(), 0,
                    initiator.cmdSN(), initiator.expStatSN()), new byte[0]);
            LogoutResponsePdu logout = assertInstanceOf(LogoutResponsePdu.class, initiator.next().pdu());
            assertEquals(LogoutResponseCode.CLOSED_SUCCESSFULLY, logout.response());
            assertTrue(initiator.closedByTarget());
            closer.join();
        }
        portal = null;
    }

    @Test
    void abortTaskWaitsForTheExecutingCommandAndDropsItsResult() throws Exception {
        FakeScsiDevice device = new FakeScsiDevice(0x10000 + 64, true);
        portal = new TestPortal(device);
        try (TestInitiator initiator = loggedIn()) {
            int cmdSN = initiator.cmdSN();
            int held = initiator.start(0, read10(FakeScsiDevice.HELD_LBA, 1), 512, true, null);
            assertTrue(device.awaitHeldStarted(10));
            int tmfTag = initiator.newItt();
            initiator.send(new TaskManagementRequestPdu(true, TaskFunction.ABORT_TASK, 0, tmfTag, held,
                    initiator.cmdSN(), initiator.expStatSN(), cmdSN, 0), new byte[0]);
            initiator.soTimeout(300);
            assertThrowsTimeout(initiator);   // no TMF response while the command still executes
            initiator.soTimeout(10_000);
            device.releaseHeld();
            TaskManagementResponsePdu response = assertInstanceOf(TaskManagementResponsePdu.class,
                    initiator.next().pdu());
            assertEquals(TaskManagementResponseCode.FUNCTION_COMPLETE, response.response());
            assertEquals(tmfTag, response.initiatorTaskTag());
            assertFalse(initiator.isCompleted(held), "an aborted task gets no SCSI Response");

            // Aborting an unknown task whose RefCmdSN is already past: task does not exist.
            initiator.send(new TaskManagementRequestPdu(true, TaskFunction.ABORT_TASK, 0, initiator.newItt(), 0x777,
                    initiator.cmdSN(), initiator.expStatSN(), cmdSN, 0), new byte[0]);
            assertEquals(TaskManagementResponseCode.TASK_DOES_NOT_EXIST,
                    ((TaskManagementResponsePdu) initiator.next().pdu()).response());

            // The session goes on.
            assertEquals(0, initiator.execute(0, read10(0, 1), 512, true, null).status());
        }
    }

    @Test
    void resetsReachTheDeviceAndUnsupportedFunctionsSaySo() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(64, false));
        try (TestInitiator initiator = loggedIn()) {
            assertEquals(TaskManagementResponseCode.FUNCTION_COMPLETE, tmf(initiator, TaskFunction.LOGICAL_UNIT_RESET, 0));
            assertEquals(TaskManagementResponseCode.LUN_DOES_NOT_EXIST,
                    tmf(initiator, TaskFunction.ABORT_TASK_SET, 5L << 48));
            assertEquals(TaskManagementResponseCode.FUNCTION_COMPLETE, tmf(initiator, TaskFunction.CLEAR_TASK_SET, 0));
            assertEquals(TaskManagementResponseCode.FUNCTION_NOT_SUPPORTED, tmf(initiator, TaskFunction.CLEAR_ACA, 0));
            assertEquals(TaskManagementResponseCode.FUNCTION_NOT_SUPPORTED,
                    tmf(initiator, TaskFunction.TASK_REASSIGN, 0));
            assertEquals(TaskManagementResponseCode.FUNCTION_COMPLETE, tmf(initiator, TaskFunction.TARGET_WARM_RESET, 0));
            assertEquals(List.of("lu 0", "clear 0", "warm"), portal.device.resets);
            assertEquals(TaskManagementResponseCode.FUNCTION_COMPLETE, tmf(initiator, TaskFunction.TARGET_COLD_RESET, 0));
            assertTrue(initiator.closedByTarget(), "a cold reset closes the sessions");
        }
    }

    private static TaskManagementResponseCode tmf(TestInitiator initiator, TaskFunction function, long lun)
            throws Exception {
        initiator.send(new TaskManagementRequestPdu(true, function, lun, initiator.newItt(), Bhs.NO_TAG,
                initiator.cmdSN(), initiator.expStatSN(), initiator.cmdSN(), 0), new byte[0]);
        return ((TaskManagementResponsePdu) initiator.next().pdu()).response();
    }

    @Test
    void aNewLeadingLoginReinstatesTheSessionOfTheSameInitiatorPort() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(64, false));
        TestInitiator first = loggedIn();
        int firstTsih = first.tsih();
        try (TestInitiator second = loggedIn()) {
            assertTrue(first.closedByTarget(), "the old connection is closed");
            assertNotEquals(firstTsih, second.tsih());
            assertEquals(1, portal.device.removed.size());
            assertEquals(2, portal.device.added.size());
            assertEquals(0, second.execute(0, new byte[6], 0, false, null).status());
            assertEquals(1, portal.server.sessions().all().size());
        } finally {
            first.close();
        }
    }

    @Test
    void aLoginNamingAnUnknownTsihIsRefused() throws Exception {
        portal = new TestPortal(new FakeScsiDevice(64, false));
        try (TestInitiator initiator = new TestInitiator(portal.port())) {
            initiator.send(new org.storagegateway.iscsi.pdu.LoginRequestPdu(true, false, 0, 1, 0, 0,
                    new byte[] {0, 2, 3, 4, 5, 6}, 0x4242, 1, 0, 1, 0), TestInitiator.text(Map.of(
                            "InitiatorName", TestInitiator.INITIATOR_NAME, "TargetName", TestPortal.TARGET,
                            "AuthMethod", "None")));
            LoginResponsePdu response = (LoginResponsePdu) initiator.receive().pdu();
            assertEquals(0x020A, response.statusClass() << 8 | response.statusDetail());
            assertTrue(initiator.closedByTarget());
        }
    }

    @Test
    void severalSessionsRunInParallel() throws Exception {
        FakeScsiDevice device = new FakeScsiDevice(4096, true);
        portal = new TestPortal(device);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                int session = s;
                results.add(pool.submit(() -> {
                    try (TestInitiator initiator = new TestInitiator(portal.port())) {
                        initiator.isid(new byte[] {0, 2, 0, 0, 0, (byte) (10 + session)});
                        assertEquals(0, initiator.login(TestPortal.TARGET, Map.of()).statusClass());
                        int good = 0;
                        for (int i = 0; i < 50; i++) {
                            byte[] data = new byte[1024];
                            java.util.Arrays.fill(data, (byte) (session * 50 + i));
                            int lba = session * 200 + i * 2;
                            initiator.execute(0, BasicEndToEndTest.write10(lba, 2), 1024, false, data);
                            if (java.util.Arrays.equals(data,
                                    initiator.execute(0, read10(lba, 2), 1024, true, null).dataIn())) {
                                good++;
                            }
                        }
                        return good;
                    }
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(50, result.get());
            }
            assertEquals(4, device.added.size());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertThrowsTimeout(TestInitiator initiator) throws Exception {
        try {
            TestInitiator.Received unexpected = initiator.receive();
            throw new AssertionError("unexpected PDU " + unexpected.pdu());
        } catch (java.net.SocketTimeoutException expected) {
            // nothing arrived, as it should
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);   // waits for another thread's work, not for time to pass
        }
        assertTrue(condition.getAsBoolean());
    }
}
