package org.storagegateway.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.storagegateway.iscsi.target.ChapCredentials;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;

/** Drives a {@link LoginNegotiator} the way an initiator would, and reads its responses as key=value maps. */
final class LoginExchange {
    static final String INITIATOR = "iqn.2004-10.com.ubuntu:01:8f3c2a7b9e1d";
    static final String TARGET = "iqn.2026-11.org.storagegateway:vol1";
    static final String CHAP_TARGET = "iqn.2026-11.org.storagegateway:chap";
    static final String ACL_TARGET = "iqn.2026-11.org.storagegateway:acl";
    static final ChapCredentials INITIATOR_SECRET = new ChapCredentials("alice", "initiatorSecret1");
    static final ChapCredentials TARGET_SECRET = new ChapCredentials("gateway", "targetSecret234");
    static final byte[] ISID = {(byte) 0x80, 0x00, 0x00, 0x00, 0x00, 0x01};
    static final List<PortalAddress> PORTALS = List.of(new PortalAddress("192.0.2.10", 3260, 1),
            new PortalAddress("2001:db8::10", 3260, 1));

    final TargetCatalog catalog = new TargetCatalog();
    final LoginNegotiator negotiator;
    LoginResponseFields last;

    /**
     * Settings whose wishes all equal the RFC defaults, so the target makes no offers of its own and a single
     * operational request can finish the login.
     */
    static final LoginSettings NO_OFFERS = new LoginSettings(262_144, 262_144, 65_536, true, true, 1, 2, 20, true,
            true, ChapPolicy.NONE);

    LoginExchange() {
        this(NO_OFFERS, ChapPolicy.NONE);
    }

    LoginExchange(LoginSettings settings, ChapPolicy chapTargetPolicy) {
        catalog.add(new TargetDefinition(TARGET, "Volume One", Set.of(), ChapPolicy.NONE, new UnusedTargetDevice()));
        catalog.add(new TargetDefinition(CHAP_TARGET, null, Set.of(), chapTargetPolicy, new UnusedTargetDevice()));
        catalog.add(new TargetDefinition(ACL_TARGET, null, Set.of("iqn.2026-01.com.example:someone-else"),
                ChapPolicy.NONE, new UnusedTargetDevice()));
        negotiator = new LoginNegotiator(catalog, settings, PORTALS, new SecureRandom());
    }

    static ChapPolicy oneWay() {
        return new ChapPolicy(INITIATOR_SECRET, null);
    }

    static ChapPolicy mutual() {
        return new ChapPolicy(INITIATOR_SECRET, TARGET_SECRET);
    }

    /** Sends one complete request with T=1 towards {@code nextStage}; returns the response's keys. */
    Map<String, String> send(int currentStage, int nextStage, String... pairs) {
        return send(true, false, currentStage, nextStage, text(pairs));
    }

    /** Sends one complete request with T=0; returns the response's keys. */
    Map<String, String> sendStaying(int currentStage, String... pairs) {
        return send(false, false, currentStage, 0, text(pairs));
    }

    Map<String, String> send(boolean transit, boolean continues, int currentStage, int nextStage, byte[] text) {
        exchange(transit, continues, currentStage, nextStage, text);
        return keys(last.text());
    }

    /** Sends one request and keeps the raw response, for responses that come in pieces. */
    LoginResponseFields exchange(boolean transit, boolean continues, int currentStage, int nextStage, byte[] text) {
        last = negotiator.process(new LoginRequestFields(transit, continues, currentStage, nextStage, 0, 0, ISID, 0,
                1, text));
        return last;
    }

    static byte[] text(String... pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String pair : pairs) {
            out.writeBytes(pair.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The response's pairs; a key given twice would be a target bug during login, so it fails the test. */
    static Map<String, String> keys(byte[] text) {
        Map<String, String> keys = new LinkedHashMap<>();
        String all = new String(text, StandardCharsets.UTF_8);
        if (all.isEmpty()) {
            return keys;
        }
        assertEquals(0, text[text.length - 1], "text must end with NUL");
        for (String pair : all.substring(0, all.length() - 1).split("\0", -1)) {
            int equals = pair.indexOf('=');
            String previous = keys.put(pair.substring(0, equals), pair.substring(equals + 1));
            assertEquals(null, previous, "key sent twice: " + pair);
        }
        return keys;
    }

    void assertStatus(LoginStatus expected) {
        assertEquals(expected.statusClass(), last.statusClass(), "status class");
        assertEquals(expected.statusDetail(), last.statusDetail(), "status detail");
    }

    void assertTransit(int expectedNextStage) {
        assertStatus(LoginStatus.SUCCESS);
        assertEquals(true, last.transit(), "T bit");
        assertEquals(expectedNextStage, last.nextStage(), "NSG");
    }

    void assertStays() {
        assertStatus(LoginStatus.SUCCESS);
        assertEquals(false, last.transit(), "T bit");
    }

    /** RFC 1994 computed independently of the code under test. */
    static String chapResponse(String jcaAlgorithm, String identifier, String secret, String challengeHex) {
        assertNotNull(challengeHex);
        try {
            MessageDigest digest = MessageDigest.getInstance(jcaAlgorithm);
            digest.update((byte) Integer.parseInt(identifier));
            digest.update(secret.getBytes(StandardCharsets.UTF_8));
            digest.update(HexFormat.of().parseHex(challengeHex.substring(2)));
            return "0x" + HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** What Linux open-iscsi 2.1 sends in its operational stage request. */
    static String[] openIscsiOperationalKeys() {
        return new String[] {"HeaderDigest=None", "DataDigest=None", "DefaultTime2Wait=2", "DefaultTime2Retain=0",
                "IFMarker=No", "OFMarker=No", "ErrorRecoveryLevel=0", "InitialR2T=No", "ImmediateData=Yes",
                "MaxBurstLength=16776192", "FirstBurstLength=262144", "MaxOutstandingR2T=1", "MaxConnections=1",
                "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "MaxRecvDataSegmentLength=262144"};
    }
}
