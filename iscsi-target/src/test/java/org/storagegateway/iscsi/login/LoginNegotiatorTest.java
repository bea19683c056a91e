package org.storagegateway.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.iscsi.login.LoginExchange.ACL_TARGET;
import static org.storagegateway.iscsi.login.LoginExchange.INITIATOR;
import static org.storagegateway.iscsi.login.LoginExchange.ISID;
import static org.storagegateway.iscsi.login.LoginExchange.TARGET;
import static org.storagegateway.iscsi.login.LoginExchange.text;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Login stages, identity keys, status codes, text errors and C-bit handling (RFC 7143 §6, §11.12, §11.13). */
class LoginNegotiatorTest {

    @Test
    void noAuthLoginMayStartInTheOperationalStage() {
        LoginExchange login = new LoginExchange();
        Map<String, String> response = login.send(1, 3, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "SessionType=Normal", "MaxRecvDataSegmentLength=65536");
        login.assertTransit(3);
        assertEquals(1, login.last.currentStage());
        assertEquals("Volume One", response.get("TargetAlias"));
        assertEquals("1", response.get("TargetPortalGroupTag"));
        assertEquals("262144", response.get("MaxRecvDataSegmentLength"));
        assertEquals(0, login.last.versionMax());
        assertEquals(0, login.last.versionActive());
        assertTrue(login.negotiator.fullFeaturePhaseReached());
        assertEquals(65_536, login.negotiator.parameters().initiatorMaxRecvDataSegmentLength());
    }

    @Test
    void targetInformationGoesOnlyInTheFirstResponse() {
        LoginExchange login = new LoginExchange();
        Map<String, String> first = login.send(0, 1, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET,
                "AuthMethod=None");
        assertEquals("None", first.get("AuthMethod"));
        assertTrue(first.containsKey("TargetPortalGroupTag"));
        Map<String, String> second = login.send(1, 3, "HeaderDigest=None");
        assertFalse(second.containsKey("TargetPortalGroupTag"));
        login.assertTransit(3);
    }

    @Test
    void securityStageMayGoStraightToFullFeaturePhaseWithDefaults() {
        LoginExchange login = new LoginExchange();
        login.send(0, 3, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "AuthMethod=None");
        login.assertTransit(3);
        assertEquals(SessionParameters.LOGIN_DEFAULTS, login.negotiator.parameters());
    }

    @Test
    void staysInStageWhileTheInitiatorDoesNotAskToMove() {
        LoginExchange login = new LoginExchange();
        login.sendStaying(0, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET);
        login.assertStays();
        login.send(0, 1, "AuthMethod=None");
        login.assertTransit(1);
        login.sendStaying(1, "HeaderDigest=None");
        login.assertStays();
        login.send(1, 3, "DataDigest=None");
        login.assertTransit(3);
    }

    @Test
    void unknownTargetIsNotFound() {
        LoginExchange login = new LoginExchange();
        login.send(0, 1, "InitiatorName=" + INITIATOR, "TargetName=iqn.2026-11.org.storagegateway:missing");
        login.assertStatus(LoginStatus.NOT_FOUND);
        assertTrue(login.negotiator.failed());
        assertEquals(0, login.last.text().length);
        assertThrows(IllegalStateException.class, () -> login.send(0, 1, "AuthMethod=None"));
    }

    @Test
    void accessListRefusalIsAnAuthorizationFailure() {
        LoginExchange login = new LoginExchange();
        login.send(0, 1, "InitiatorName=" + INITIATOR, "TargetName=" + ACL_TARGET);
        login.assertStatus(LoginStatus.AUTHORIZATION_FAILURE);
    }

    @Test
    void targetNamesCompareCaseInsensitively() {
        LoginExchange login = new LoginExchange();
        login.send(1, 3, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET.toUpperCase());
        login.assertTransit(3);
        assertEquals(TARGET, login.negotiator.target().name());
    }

    @Test
    void missingInitiatorNameOrTargetNameIsAMissingParameter() {
        LoginExchange noInitiator = new LoginExchange();
        noInitiator.send(0, 1, "TargetName=" + TARGET);
        noInitiator.assertStatus(LoginStatus.MISSING_PARAMETER);
        LoginExchange noTarget = new LoginExchange();
        noTarget.send(0, 1, "InitiatorName=" + INITIATOR, "SessionType=Normal");
        noTarget.assertStatus(LoginStatus.MISSING_PARAMETER);
    }

    @Test
    void unknownSessionTypeIsNotSupported() {
        LoginExchange login = new LoginExchange();
        login.send(0, 1, "InitiatorName=" + INITIATOR, "SessionType=Bogus");
        login.assertStatus(LoginStatus.SESSION_TYPE_NOT_SUPPORTED);
    }

    @Test
    void unsupportedVersionIsRefused() {
        LoginExchange login = new LoginExchange();
        login.last = login.negotiator.process(new LoginRequestFields(true, false, 0, 1, 2, 1, ISID, 0, 1,
                text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET)));
        login.assertStatus(LoginStatus.UNSUPPORTED_VERSION);
    }

    @Test
    void discoverySessionNeedsNoTarget() {
        LoginExchange login = new LoginExchange();
        Map<String, String> response = login.send(1, 3, "InitiatorName=" + INITIATOR, "SessionType=Discovery",
                "MaxBurstLength=65536", "MaxRecvDataSegmentLength=32768", "HeaderDigest=None");
        login.assertTransit(3);
        assertEquals(SessionType.DISCOVERY, login.negotiator.sessionType());
        assertEquals(null, login.negotiator.target());
        assertEquals("Irrelevant", response.get("MaxBurstLength"));
        assertEquals("None", response.get("HeaderDigest"));
        assertFalse(response.containsKey("TargetPortalGroupTag"));
        assertEquals(32_768, login.negotiator.parameters().initiatorMaxRecvDataSegmentLength());
    }

    @Test
    void malformedTextIsAnInitiatorError() {
        String tooLong = "x".repeat(256);
        String[][] cases = {
                {"InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "NoEqualsSign"},
                {"InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "=value"},
                {"InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "HeaderDigest=None", "HeaderDigest=None"},
                {"InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "X-com.example.long=" + tooLong},
                {"InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "MaxBurstLength=12ab"},
                {"InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "ImmediateData=Maybe"},
        };
        for (String[] pairs : cases) {
            LoginExchange login = new LoginExchange();
            login.send(1, 3, pairs);
            login.assertStatus(LoginStatus.INITIATOR_ERROR);
            assertTrue(login.negotiator.failed(), Arrays.toString(pairs));
        }
    }

    @Test
    void aKeyNegotiatedAgainInALaterRequestIsAnInitiatorError() {
        LoginExchange login = new LoginExchange();
        login.sendStaying(1, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "MaxBurstLength=65536");
        login.assertStays();
        login.send(1, 3, "MaxBurstLength=65536");
        login.assertStatus(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void identityKeysMayNotBeRedeclared() {
        LoginExchange login = new LoginExchange();
        login.sendStaying(1, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET);
        login.send(1, 3, "TargetName=" + TARGET);
        login.assertStatus(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void headerErrorsAreInitiatorErrors() {
        LoginExchange bothBits = new LoginExchange();
        bothBits.send(true, true, 0, 1, text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET));
        bothBits.assertStatus(LoginStatus.INITIATOR_ERROR);

        LoginExchange reservedStage = new LoginExchange();
        reservedStage.send(0, 2, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET);
        reservedStage.assertStatus(LoginStatus.INITIATOR_ERROR);

        LoginExchange wrongStage = new LoginExchange();
        wrongStage.sendStaying(0, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET);
        wrongStage.send(1, 3, "HeaderDigest=None");
        wrongStage.assertStatus(LoginStatus.INITIATOR_ERROR);

        LoginExchange changedIsid = new LoginExchange();
        changedIsid.sendStaying(0, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET);
        changedIsid.last = changedIsid.negotiator.process(new LoginRequestFields(true, false, 0, 1, 0, 0,
                new byte[6], 0, 1, text("AuthMethod=None")));
        changedIsid.assertStatus(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void continuedRequestTextIsReassembledEvenMidKey() {
        LoginExchange login = new LoginExchange();
        byte[] whole = text("InitiatorName=" + INITIATOR, "TargetName=" + TARGET, "MaxRecvDataSegmentLength=8192",
                "ImmediateData=No");
        int[] cuts = {5, 40, whole.length - 3};
        int start = 0;
        for (int cut : cuts) {
            Map<String, String> ack = login.send(false, true, 1, 0, Arrays.copyOfRange(whole, start, cut));
            login.assertStays();
            assertFalse(login.last.continueFlag());
            assertTrue(ack.isEmpty(), "intermediate responses carry no text");
            start = cut;
        }
        Map<String, String> response = login.send(true, false, 1, 3, Arrays.copyOfRange(whole, start, whole.length));
        login.assertTransit(3);
        assertEquals("No", response.get("ImmediateData"));
        assertEquals(8192, login.negotiator.parameters().initiatorMaxRecvDataSegmentLength());
        assertFalse(login.negotiator.parameters().immediateData());
    }

    @Test
    void longResponsesAreSplitWithTheContinueBit() {
        LoginExchange login = new LoginExchange();
        String[] pairs = new String[402];
        pairs[0] = "InitiatorName=" + INITIATOR;
        pairs[1] = "TargetName=" + TARGET;
        for (int i = 2; i < pairs.length; i++) {
            pairs[i] = "X-com.example.key" + i + "=v";
        }
        byte[] request = text(pairs);
        // The request itself is over 8192 bytes, so it too arrives in two PDUs.
        login.send(false, true, 1, 0, Arrays.copyOf(request, 8192));
        login.exchange(true, false, 1, 3, Arrays.copyOfRange(request, 8192, request.length));
        StringBuilder whole = new StringBuilder();
        int pieces = 0;
        while (true) {
            pieces++;
            assertTrue(login.last.text().length <= 8192, "each piece fits the login MaxRecvDataSegmentLength");
            whole.append(new String(login.last.text(), java.nio.charset.StandardCharsets.UTF_8));
            if (!login.last.continueFlag()) {
                break;
            }
            assertFalse(login.last.transit(), "no transit while the response continues");
            login.exchange(true, false, 1, 3, new byte[0]);
        }
        assertTrue(pieces >= 2);
        login.assertTransit(3);
        Map<String, String> keys = LoginExchange.keys(whole.toString().getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("NotUnderstood", keys.get("X-com.example.key2"));
        assertEquals("NotUnderstood", keys.get("X-com.example.key401"));
        assertTrue(login.negotiator.fullFeaturePhaseReached());
    }

    @Test
    void textDuringAnIncompleteResponseIsAnInitiatorError() {
        LoginExchange login = new LoginExchange();
        String[] pairs = new String[402];
        pairs[0] = "InitiatorName=" + INITIATOR;
        pairs[1] = "TargetName=" + TARGET;
        for (int i = 2; i < pairs.length; i++) {
            pairs[i] = "X-com.example.key" + i + "=v";
        }
        login.exchange(true, false, 1, 3, text(pairs));
        assertTrue(login.last.continueFlag());
        login.send(1, 3, "HeaderDigest=None");
        login.assertStatus(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void aLoginThatNeverEndsIsCutOff() {
        LoginExchange login = new LoginExchange();
        for (int i = 0; i < LoginNegotiator.MAX_LOGIN_PDUS; i++) {
            login.send(false, true, 0, 0, new byte[0]);
            login.assertStays();
        }
        login.send(false, true, 0, 0, new byte[0]);
        login.assertStatus(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void requestTextBeyondTheLimitIsRefused() {
        LoginExchange login = new LoginExchange();
        byte[] piece = new byte[8192];
        for (int sent = 0; sent + piece.length <= LoginNegotiator.MAX_REQUEST_TEXT_BYTES; sent += piece.length) {
            login.send(false, true, 0, 0, piece);
            login.assertStays();
        }
        login.send(false, true, 0, 0, piece);
        login.assertStatus(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void failureResponsesEchoTheStageAndCarryNoText() {
        LoginExchange login = new LoginExchange();
        login.send(1, 3, "InitiatorName=" + INITIATOR, "TargetName=" + ACL_TARGET);
        assertEquals(1, login.last.currentStage());
        assertFalse(login.last.transit());
        assertArrayEquals(new byte[0], login.last.text());
        assertEquals(LoginStatus.AUTHORIZATION_FAILURE, login.last.status().orElseThrow());
    }
}
