package org.storagegateway.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.iscsi.login.LoginExchange.INITIATOR;
import static org.storagegateway.iscsi.login.LoginExchange.TARGET;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.target.ChapPolicy;

/** Each operational key's result function and range (RFC 7143 §6.2, §13), and the target's own offers. */
class OperationalNegotiationTest {
    /** Defaults with every wish spelled out, so the expectations below can be read off. */
    private static LoginSettings settings(boolean digests) {
        return new LoginSettings(131_072, 1_048_576, 262_144, true, false, 4, 2, 20, digests, digests,
                ChapPolicy.NONE);
    }

    /** One operational request with these pairs; the response is in {@code login.last}. */
    private static LoginExchange loginWith(LoginSettings settings, String... operationalPairs) {
        LoginExchange login = new LoginExchange(settings, ChapPolicy.NONE);
        String[] pairs = new String[operationalPairs.length + 2];
        pairs[0] = "InitiatorName=" + INITIATOR;
        pairs[1] = "TargetName=" + TARGET;
        System.arraycopy(operationalPairs, 0, pairs, 2, operationalPairs.length);
        login.send(1, 3, pairs);
        return login;
    }

    /** Ends a login whose first response held the target's own offers open: no answers, so defaults for those. */
    private static void finish(LoginExchange login) {
        if (!login.last.transit()) {
            login.send(1, 3);
        }
        login.assertTransit(3);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
            // min: the smaller of the initiator's and ours (ours: 1 MiB, 256 KiB, 4, 20, ERL 0, 1 connection)
            "MaxBurstLength, 65536, 65536",
            "MaxBurstLength, 16776192, 1048576",
            "FirstBurstLength, 8192, 8192",
            "FirstBurstLength, 1048576, 262144",
            "MaxOutstandingR2T, 16, 4",
            "MaxOutstandingR2T, 2, 2",
            "DefaultTime2Retain, 0, 0",
            "DefaultTime2Retain, 60, 20",
            "ErrorRecoveryLevel, 2, 0",
            "MaxConnections, 8, 1",
            // max: the larger (ours: 2)
            "DefaultTime2Wait, 0, 2",
            "DefaultTime2Wait, 10, 10",
            // AND (ours: ImmediateData=Yes), OR (ours: InitialR2T=No, DataPDUInOrder=Yes)
            "ImmediateData, Yes, Yes",
            "ImmediateData, No, No",
            "InitialR2T, Yes, Yes",
            "InitialR2T, No, No",
            "DataPDUInOrder, No, Yes",
            "DataSequenceInOrder, No, Yes",
            // hex and base64 numbers are numbers too
            "MaxBurstLength, 0x10000, 65536",
            "MaxBurstLength, 0bAAEAAA==, 65536",
            // out of range: Reject, and the default stands
            "MaxBurstLength, 511, Reject",
            "MaxBurstLength, 16777216, Reject",
            "MaxOutstandingR2T, 0, Reject",
            "DefaultTime2Wait, 3601, Reject",
            "ErrorRecoveryLevel, 3, Reject",
            "MaxBurstLength, 18446744073709551615, Reject",
            // RFC 7143 §13.25: obsolete markers
            "OFMarker, Yes, No",
            "IFMarker, No, No",
            "OFMarkInt, 1~65535, Reject",
            "IFMarkInt, 2048, Reject",
            // unknown and vendor keys
            "X-com.example.Feature, on, NotUnderstood",
            "TaskReportingBogus, x, NotUnderstood",
            "SendTargets, All, Irrelevant",
    })
    void keyResultFunctions(String key, String offered, String expected) {
        LoginExchange login = loginWith(settings(true), key + "=" + offered);
        Map<String, String> response = LoginExchange.keys(login.last.text());
        login.assertStatus(LoginStatus.SUCCESS);
        assertEquals(expected, response.get(key));
    }

    @Test
    void negotiatedValuesReachTheSessionParameters() {
        LoginExchange login = loginWith(settings(true), "MaxBurstLength=65536", "FirstBurstLength=16384",
                "ImmediateData=No", "InitialR2T=Yes", "MaxOutstandingR2T=2", "DefaultTime2Wait=5",
                "DefaultTime2Retain=0", "MaxRecvDataSegmentLength=16384", "HeaderDigest=CRC32C,None",
                "DataDigest=CRC32C");
        finish(login);
        SessionParameters parameters = login.negotiator.parameters();
        assertEquals(new SessionParameters(true, true, 16_384, 131_072, 65_536, 16_384, false, true, 2, true, true,
                0, 1, 5, 0), parameters);
    }

    @ParameterizedTest
    @CsvSource({"MaxRecvDataSegmentLength, 100", "MaxBurstLength, 99999999999999999999", "InitialR2T, yes"})
    void invalidDeclarationsAndUnparseableValuesAreInitiatorErrors(String key, String value) {
        LoginExchange login = loginWith(settings(true), key + "=" + value);
        login.assertStatus(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void firstBurstLengthNeverExceedsMaxBurstLength() {
        LoginExchange login = loginWith(settings(true), "FirstBurstLength=262144", "MaxBurstLength=8192");
        Map<String, String> response = LoginExchange.keys(login.last.text());
        assertEquals("8192", response.get("MaxBurstLength"));
        assertEquals("8192", response.get("FirstBurstLength"));
        finish(login);
        assertEquals(8192, login.negotiator.parameters().firstBurstLength());
    }

    @ParameterizedTest(name = "allowed={0} {1} -> {2}")
    @CsvSource({
            "true, 'CRC32C,None', CRC32C",
            "true, 'None,CRC32C', None",
            "true, CRC32C, CRC32C",
            "false, 'CRC32C,None', None",
            "false, CRC32C, Reject",
            "true, 'SHA1,None', None",
    })
    void digestNegotiation(boolean allowed, String offered, String expected) {
        LoginExchange login = loginWith(settings(allowed), "HeaderDigest=" + offered, "DataDigest=" + offered);
        Map<String, String> response = LoginExchange.keys(login.last.text());
        assertEquals(expected, response.get("HeaderDigest"));
        assertEquals(expected, response.get("DataDigest"));
        finish(login);
        assertEquals(expected.equals("CRC32C"), login.negotiator.parameters().headerDigest());
        assertEquals(expected.equals("CRC32C"), login.negotiator.parameters().dataDigest());
    }

    @Test
    void targetOffersWhatTheInitiatorLeftOutAndWaitsForTheAnswers() {
        LoginExchange login = new LoginExchange(settings(true), ChapPolicy.NONE);
        Map<String, String> offers = login.send(1, 3, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET);
        login.assertStays();
        assertEquals("131072", offers.get("MaxRecvDataSegmentLength"));
        assertEquals("1048576", offers.get("MaxBurstLength"));
        assertEquals("262144", offers.get("FirstBurstLength"));
        assertEquals("No", offers.get("InitialR2T"));
        assertEquals("4", offers.get("MaxOutstandingR2T"));
        assertFalse(offers.containsKey("ImmediateData"), "AND with the default Yes needs no offer");
        assertFalse(offers.containsKey("DefaultTime2Wait"), "equal to the RFC default");

        Map<String, String> response = login.send(1, 3, "MaxBurstLength=524288", "FirstBurstLength=65536",
                "InitialR2T=No", "MaxOutstandingR2T=Reject");
        login.assertTransit(3);
        assertTrue(response.isEmpty(), "answers need no answer: " + response);
        SessionParameters parameters = login.negotiator.parameters();
        assertEquals(524_288, parameters.maxBurstLength());
        assertEquals(65_536, parameters.firstBurstLength());
        assertFalse(parameters.initialR2T());
        assertEquals(1, parameters.maxOutstandingR2T(), "Reject leaves the default");
        assertEquals(131_072, parameters.targetMaxRecvDataSegmentLength());
        assertEquals(8192, parameters.initiatorMaxRecvDataSegmentLength(), "the initiator declared nothing");
    }

    @Test
    void unansweredOffersFallBackToTheDefaults() {
        LoginExchange login = new LoginExchange(settings(true), ChapPolicy.NONE);
        login.send(1, 3, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET);
        login.assertStays();
        login.send(1, 3);
        login.assertTransit(3);
        assertEquals(262_144, login.negotiator.parameters().maxBurstLength());
        assertTrue(login.negotiator.parameters().initialR2T());
    }

    @ParameterizedTest
    @CsvSource({"MaxBurstLength, 2097152", "FirstBurstLength, 524288", "MaxOutstandingR2T, 8", "InitialR2T, Maybe"})
    void answersTheResultFunctionCannotProduceAreInitiatorErrors(String key, String answer) {
        LoginExchange login = new LoginExchange(settings(true), ChapPolicy.NONE);
        login.send(1, 3, "InitiatorName=" + INITIATOR, "TargetName=" + TARGET);
        login.send(1, 3, key + "=" + answer);
        login.assertStatus(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void discoverySessionsAnswerIrrelevantToSessionKeys() {
        LoginExchange login = new LoginExchange(settings(true), ChapPolicy.NONE);
        Map<String, String> response = login.send(1, 3, "InitiatorName=" + INITIATOR, "SessionType=Discovery",
                "InitialR2T=No", "ImmediateData=Yes", "MaxConnections=1", "FirstBurstLength=65536",
                "MaxOutstandingR2T=1", "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "ErrorRecoveryLevel=0",
                "DefaultTime2Wait=2");
        login.assertTransit(3);
        for (String key : new String[] {"InitialR2T", "ImmediateData", "MaxConnections", "FirstBurstLength",
                "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder"}) {
            assertEquals("Irrelevant", response.get(key), key);
        }
        assertEquals("0", response.get("ErrorRecoveryLevel"));
        assertEquals("2", response.get("DefaultTime2Wait"));
        assertEquals("131072", response.get("MaxRecvDataSegmentLength"), "declared even though not asked");
    }
}
