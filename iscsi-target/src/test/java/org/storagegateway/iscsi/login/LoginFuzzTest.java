package org.storagegateway.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * Arbitrary login exchanges and text requests: the negotiator must answer every one with a well-formed response
 * (or a Login Reject), never an exception, and never a login text longer than 8192 bytes. {@code mvn test} replays
 * the seeds; {@code JAZZER_FUZZ=1} fuzzes.
 */
class LoginFuzzTest {
    private static final byte[] IDENTITY = LoginExchange.text("InitiatorName=" + LoginExchange.INITIATOR,
            "TargetName=" + LoginExchange.CHAP_TARGET);

    @FuzzTest(maxDuration = "20s")
    void loginExchangesNeverThrow(FuzzedDataProvider data) {
        LoginExchange login = new LoginExchange(LoginSettings.defaults(),
                data.consumeBoolean() ? LoginExchange.mutual() : ChapPolicy.NONE);
        int requests = data.consumeInt(1, 8);
        for (int i = 0; i < requests && !login.negotiator.failed() && !login.negotiator.fullFeaturePhaseReached();
             i++) {
            byte[] text = data.consumeBytes(data.consumeInt(0, 10_000));
            if (i == 0 && data.consumeBoolean()) {
                byte[] withIdentity = new byte[IDENTITY.length + text.length];
                System.arraycopy(IDENTITY, 0, withIdentity, 0, IDENTITY.length);
                System.arraycopy(text, 0, withIdentity, IDENTITY.length, text.length);
                text = withIdentity;
            }
            LoginResponseFields response = login.negotiator.process(new LoginRequestFields(data.consumeBoolean(),
                    data.consumeBoolean(), data.consumeInt(0, 3), data.consumeInt(0, 3), data.consumeInt(0, 2), 0,
                    LoginExchange.ISID, 0, 1, text));
            assertTrue(response.text().length <= SessionParameters.LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH);
            if (login.negotiator.failed()) {
                assertTrue(response.statusClass() != 0);
                assertEquals(0, response.text().length);
                assertFalse(response.transit());
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    void fullFeatureTextThrowsOnlyMalformedText(FuzzedDataProvider data) {
        LoginExchange fixture = new LoginExchange();
        FullFeatureText text = new FullFeatureText(fixture.catalog, LoginExchange.PORTALS);
        byte[] request = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
        try {
            text.respond(request, SessionType.DISCOVERY, LoginExchange.INITIATOR, null);
        } catch (MalformedTextException expected) {
            // malformed text is the one documented failure
        }
    }
}
