package org.storagegateway.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.storagegateway.iscsi.login.LoginExchange.ACL_TARGET;
import static org.storagegateway.iscsi.login.LoginExchange.CHAP_TARGET;
import static org.storagegateway.iscsi.login.LoginExchange.INITIATOR;
import static org.storagegateway.iscsi.login.LoginExchange.TARGET;
import static org.storagegateway.iscsi.login.LoginExchange.text;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.target.TargetDefinition;

/** SendTargets and other full feature phase text keys (RFC 7143 §12.3, Appendix C). */
class FullFeatureTextTest {
    private final LoginExchange fixture = new LoginExchange();
    private final FullFeatureText text = new FullFeatureText(fixture.catalog, LoginExchange.PORTALS);

    private String respond(SessionType type, TargetDefinition sessionTarget, String... pairs) {
        return new String(text.respond(text(pairs), type, INITIATOR, sessionTarget), StandardCharsets.UTF_8);
    }

    private static String targetEntry(String name) {
        return "TargetName=" + name + "\0TargetAddress=192.0.2.10:3260,1\0TargetAddress=[2001:db8::10]:3260,1\0";
    }

    @Test
    void sendTargetsAllListsEveryAdmittedTargetWithEveryPortal() {
        // The catalog orders by name; ACL_TARGET admits someone else only.
        assertEquals(targetEntry(CHAP_TARGET) + targetEntry(TARGET),
                respond(SessionType.DISCOVERY, null, "SendTargets=All"));
    }

    @Test
    void discoveryAfterAFullLoginListsTargets() {
        LoginExchange login = new LoginExchange();
        login.send(0, 1, "InitiatorName=" + INITIATOR, "SessionType=Discovery", "AuthMethod=None");
        login.send(1, 3, "HeaderDigest=None", "MaxRecvDataSegmentLength=32768");
        login.assertTransit(3);
        FullFeatureText discovery = new FullFeatureText(login.catalog, LoginExchange.PORTALS);
        String answer = new String(discovery.respond(text("SendTargets=All"), login.negotiator.sessionType(),
                login.negotiator.initiatorName(), login.negotiator.target()), StandardCharsets.UTF_8);
        assertEquals(targetEntry(CHAP_TARGET) + targetEntry(TARGET), answer);
    }

    @Test
    void sendTargetsByNameListsThatTargetIfAdmitted() {
        assertEquals(targetEntry(TARGET), respond(SessionType.DISCOVERY, null, "SendTargets=" + TARGET));
        assertEquals("", respond(SessionType.DISCOVERY, null, "SendTargets=" + ACL_TARGET));
        assertEquals("", respond(SessionType.DISCOVERY, null, "SendTargets=iqn.2026-11.org.storagegateway:none"));
    }

    @Test
    void normalSessionsLearnOnlyAboutTheirOwnTarget() {
        TargetDefinition own = fixture.catalog.find(TARGET).orElseThrow();
        assertEquals(targetEntry(TARGET), respond(SessionType.NORMAL, own, "SendTargets="));
        assertEquals(targetEntry(TARGET), respond(SessionType.NORMAL, own, "SendTargets=" + TARGET));
        assertEquals("", respond(SessionType.NORMAL, own, "SendTargets=" + CHAP_TARGET));
        assertEquals("SendTargets=Reject\0", respond(SessionType.NORMAL, own, "SendTargets=All"));
    }

    @Test
    void discoveryWithoutAValueIsRejected() {
        assertEquals("SendTargets=Reject\0", respond(SessionType.DISCOVERY, null, "SendTargets="));
    }

    @Test
    void otherKeysAreNotUnderstoodOrRejected() {
        assertEquals("X-com.example.Thing=NotUnderstood\0MaxBurstLength=Reject\0",
                respond(SessionType.DISCOVERY, null, "X-com.example.Thing=1", "MaxBurstLength=512"));
        assertEquals("", respond(SessionType.DISCOVERY, null));
    }

    @Test
    void malformedTextThrows() {
        assertThrows(MalformedTextException.class, () -> respond(SessionType.DISCOVERY, null, "SendTargets"));
        assertThrows(MalformedTextException.class,
                () -> respond(SessionType.DISCOVERY, null, "SendTargets=All", "SendTargets=All"));
    }

    @Test
    void portalAddressesFormatIpv6InBrackets() {
        assertEquals("[fe80::1]:3261,2", new PortalAddress("fe80::1", 3261, 2).targetAddressValue());
        assertEquals("gw.example.com:3260,1", new PortalAddress("gw.example.com", 3260, 1).targetAddressValue());
        assertThrows(IllegalArgumentException.class, () -> new PortalAddress("[::1]", 3260, 1));
        assertThrows(IllegalArgumentException.class, () -> new PortalAddress("host", 0, 1));
    }

    @Test
    void portalListIsCopied() {
        List<PortalAddress> portals = new java.util.ArrayList<>(LoginExchange.PORTALS);
        FullFeatureText copy = new FullFeatureText(fixture.catalog, portals);
        portals.clear();
        assertEquals(targetEntry(TARGET), new String(copy.respond(text("SendTargets=" + TARGET),
                SessionType.DISCOVERY, INITIATOR, null), StandardCharsets.UTF_8));
    }
}
