package org.storagegateway.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.iscsi.login.LoginExchange.CHAP_TARGET;
import static org.storagegateway.iscsi.login.LoginExchange.INITIATOR;
import static org.storagegateway.iscsi.login.LoginExchange.INITIATOR_SECRET;
import static org.storagegateway.iscsi.login.LoginExchange.TARGET_SECRET;
import static org.storagegateway.iscsi.login.LoginExchange.chapResponse;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetDefinition;

/** CHAP in the security stage (RFC 7143 §12.1.3, RFC 1994), one-way and mutual, and its failures. */
class ChapLoginTest {

    /** The first two security requests of open-iscsi: AuthMethod, then CHAP_A. Returns the target's challenge. */
    private static Map<String, String> startChap(LoginExchange login, String algorithms) {
        Map<String, String> first = login.send(0, 1, "InitiatorName=" + INITIATOR,
                "InitiatorAlias=ubuntu", "SessionType=Normal", "TargetName=" + CHAP_TARGET, "AuthMethod=CHAP,None");
        login.assertStays();
        assertEquals("CHAP", first.get("AuthMethod"));
        assertEquals("1", first.get("TargetPortalGroupTag"));
        Map<String, String> challenge = login.send(0, 1, "CHAP_A=" + algorithms);
        login.assertStays();
        return challenge;
    }

    @Test
    void openIscsiLoginWithOneWayMd5ChapThenOperationalStage() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        Map<String, String> challenge = startChap(login, "5");
        assertEquals("5", challenge.get("CHAP_A"));
        int identifier = Integer.parseInt(challenge.get("CHAP_I"));
        assertTrue(identifier >= 0 && identifier <= 255);
        assertEquals(2 + 2 * 16, challenge.get("CHAP_C").length(), "16-byte hex challenge");

        Map<String, String> verdict = login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse("MD5",
                challenge.get("CHAP_I"), INITIATOR_SECRET.secret(), challenge.get("CHAP_C")));
        login.assertTransit(1);
        assertEquals(0, login.last.currentStage());
        assertTrue(verdict.isEmpty(), "one-way CHAP answers nothing: " + verdict);

        Map<String, String> operational = login.send(1, 3, LoginExchange.openIscsiOperationalKeys());
        login.assertTransit(3);
        assertEquals(1, login.last.currentStage());
        assertEquals("None", operational.get("HeaderDigest"));
        assertEquals("262144", operational.get("MaxRecvDataSegmentLength"));
        assertEquals("No", operational.get("InitialR2T"));
        assertEquals("0", operational.get("DefaultTime2Retain"));
        assertEquals("16776192", operational.get("MaxBurstLength"));
        assertTrue(login.negotiator.fullFeaturePhaseReached());
        assertFalse(login.negotiator.failed());
        assertEquals(INITIATOR, login.negotiator.initiatorName());
        assertEquals("ubuntu", login.negotiator.initiatorAlias());
        assertEquals(CHAP_TARGET, login.negotiator.target().name());
        assertEquals(SessionType.NORMAL, login.negotiator.sessionType());
        SessionParameters parameters = login.negotiator.parameters();
        assertEquals(262_144, parameters.initiatorMaxRecvDataSegmentLength());
        assertEquals(262_144, parameters.targetMaxRecvDataSegmentLength());
        assertEquals(16_776_192, parameters.maxBurstLength());
        assertEquals(262_144, parameters.firstBurstLength());
        assertFalse(parameters.initialR2T());
        assertTrue(parameters.immediateData());
        assertEquals(0, parameters.defaultTime2Retain());
    }

    @ParameterizedTest
    @CsvSource({"'7,5', 7, SHA-256, 32", "'8,7,5', 8, SHA3-256, 32", "'6', 6, SHA-1, 20", "'9,5', 5, MD5, 16"})
    void picksTheInitiatorsFirstSupportedAlgorithm(String offered, String chosen, String jca, int digestLength) {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        Map<String, String> challenge = startChap(login, offered);
        assertEquals(chosen, challenge.get("CHAP_A"));
        int challengeBytes = (challenge.get("CHAP_C").length() - 2) / 2;
        assertTrue(challengeBytes >= digestLength, "challenge at least as long as the digest");
        login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse(jca, challenge.get("CHAP_I"),
                INITIATOR_SECRET.secret(), challenge.get("CHAP_C")));
        login.assertTransit(1);
    }

    @Test
    void acceptsABase64Response() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        Map<String, String> challenge = startChap(login, "5");
        String hex = chapResponse("MD5", challenge.get("CHAP_I"), INITIATOR_SECRET.secret(), challenge.get("CHAP_C"));
        String base64 = "0b" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex.substring(2)));
        login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + base64);
        login.assertTransit(1);
    }

    @Test
    void mutualChapAnswersTheInitiatorsChallengeWithTheTargetSecret() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.mutual());
        Map<String, String> challenge = startChap(login, "5");
        String initiatorChallenge = "0x00112233445566778899aabbccddeeff";
        Map<String, String> answer = login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse("MD5",
                        challenge.get("CHAP_I"), INITIATOR_SECRET.secret(), challenge.get("CHAP_C")),
                "CHAP_I=42", "CHAP_C=" + initiatorChallenge);
        login.assertTransit(1);
        assertEquals(TARGET_SECRET.user(), answer.get("CHAP_N"));
        assertEquals(chapResponse("MD5", "42", TARGET_SECRET.secret(), initiatorChallenge), answer.get("CHAP_R"));
    }

    @Test
    void refusesMutualChapWhenTheTargetHasNoCredentials() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        Map<String, String> challenge = startChap(login, "5");
        login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse("MD5", challenge.get("CHAP_I"),
                INITIATOR_SECRET.secret(), challenge.get("CHAP_C")), "CHAP_I=1", "CHAP_C=0x0102030405060708");
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
        assertTrue(login.negotiator.failed());
        assertTrue(login.last.text().length == 0, "a failure carries no CHAP answer");
    }

    @Test
    void refusesAReflectedChallenge() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.mutual());
        Map<String, String> challenge = startChap(login, "5");
        login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse("MD5", challenge.get("CHAP_I"),
                        INITIATOR_SECRET.secret(), challenge.get("CHAP_C")),
                "CHAP_I=" + challenge.get("CHAP_I"), "CHAP_C=" + challenge.get("CHAP_C"));
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void wrongSecretFails() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        Map<String, String> challenge = startChap(login, "5");
        login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse("MD5", challenge.get("CHAP_I"),
                "wrongSecret12345", challenge.get("CHAP_C")));
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
        assertFalse(login.negotiator.fullFeaturePhaseReached());
    }

    @Test
    void wrongNameFails() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        Map<String, String> challenge = startChap(login, "5");
        login.send(0, 1, "CHAP_N=mallory", "CHAP_R=" + chapResponse("MD5", challenge.get("CHAP_I"),
                INITIATOR_SECRET.secret(), challenge.get("CHAP_C")));
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void unsupportedAlgorithmsFail() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        login.send(0, 1, "InitiatorName=" + INITIATOR, "TargetName=" + CHAP_TARGET, "AuthMethod=CHAP");
        login.assertStays();
        login.send(0, 1, "CHAP_A=1,2");
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void anInitiatorWithCredentialsOfItsOwnMustUseThemWhileOthersGoByTheTargetsPolicy() {
        LoginExchange own = new LoginExchange(LoginSettings.defaults(), ChapPolicy.NONE);
        TargetDefinition open = own.catalog.find(CHAP_TARGET).orElseThrow();
        assertTrue(own.catalog.replace(open.withInitiatorChap(Map.of(INITIATOR.toUpperCase(Locale.ROOT),
                LoginExchange.oneWay()))));
        own.send(0, 1, "InitiatorName=" + INITIATOR, "TargetName=" + CHAP_TARGET, "AuthMethod=None");
        own.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);

        LoginExchange chap = new LoginExchange(LoginSettings.defaults(), ChapPolicy.NONE);
        chap.catalog.replace(chap.catalog.find(CHAP_TARGET).orElseThrow()
                .withInitiatorChap(Map.of(INITIATOR, LoginExchange.oneWay())));
        Map<String, String> challenge = startChap(chap, "5");
        chap.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse("MD5", challenge.get("CHAP_I"),
                INITIATOR_SECRET.secret(), challenge.get("CHAP_C")));
        chap.assertTransit(1);

        LoginExchange other = new LoginExchange(LoginSettings.defaults(), ChapPolicy.NONE);
        other.catalog.replace(other.catalog.find(CHAP_TARGET).orElseThrow()
                .withInitiatorChap(Map.of(INITIATOR, LoginExchange.oneWay())));
        other.send(0, 1, "InitiatorName=iqn.2026-01.com.example:another", "TargetName=" + CHAP_TARGET,
                "AuthMethod=None");
        other.assertTransit(1);
    }

    @Test
    void chapTargetRefusesAuthMethodNone() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        login.send(0, 1, "InitiatorName=" + INITIATOR, "TargetName=" + CHAP_TARGET, "AuthMethod=None");
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void chapTargetRefusesToLeaveSecurityWithoutAuthMethod() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        login.send(0, 1, "InitiatorName=" + INITIATOR, "TargetName=" + CHAP_TARGET);
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void chapTargetRefusesALoginThatSkipsSecurity() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        login.send(1, 3, "InitiatorName=" + INITIATOR, "TargetName=" + CHAP_TARGET);
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void transitIsHeldBackUntilChapCompletes() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        Map<String, String> challenge = startChap(login, "5");
        assertFalse(login.last.transit(), "the challenge response keeps the security stage open");
        login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse("MD5", challenge.get("CHAP_I"),
                INITIATOR_SECRET.secret(), challenge.get("CHAP_C")));
        login.assertTransit(1);
    }

    @Test
    void chapResponseBeforeChallengeFails() {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(), LoginExchange.oneWay());
        login.send(0, 1, "InitiatorName=" + INITIATOR, "TargetName=" + CHAP_TARGET, "AuthMethod=CHAP");
        login.send(0, 1, "CHAP_N=alice", "CHAP_R=0x00112233445566778899aabbccddeeff");
        login.assertStatus(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void discoveryUsesTheDiscoveryChapPolicy() {
        LoginSettings defaults = LoginSettings.defaults();
        LoginSettings settings = new LoginSettings(defaults.maxRecvDataSegmentLength(), defaults.maxBurstLength(),
                defaults.firstBurstLength(), defaults.immediateData(), defaults.initialR2T(),
                defaults.maxOutstandingR2T(), defaults.defaultTime2Wait(), defaults.defaultTime2Retain(), true, true,
                new ChapPolicy(INITIATOR_SECRET, null));
        LoginExchange login = new LoginExchange(settings, ChapPolicy.NONE);
        Map<String, String> first = login.send(0, 1, "InitiatorName=" + INITIATOR, "SessionType=Discovery",
                "AuthMethod=CHAP,None");
        assertEquals("CHAP", first.get("AuthMethod"));
        assertFalse(first.containsKey("TargetPortalGroupTag"), "TPGT is for Normal sessions");
        Map<String, String> challenge = login.send(0, 1, "CHAP_A=5");
        login.send(0, 1, "CHAP_N=alice", "CHAP_R=" + chapResponse("MD5", challenge.get("CHAP_I"),
                INITIATOR_SECRET.secret(), challenge.get("CHAP_C")));
        login.assertTransit(1);
    }

    @Test
    void noChapTargetAnswersNoneToAChapOffer() {
        LoginExchange login = new LoginExchange();
        Map<String, String> first = login.send(0, 1, "InitiatorName=" + INITIATOR,
                "TargetName=" + LoginExchange.TARGET, "AuthMethod=CHAP,None");
        assertEquals("None", first.get("AuthMethod"));
        login.assertTransit(1);
    }
}
