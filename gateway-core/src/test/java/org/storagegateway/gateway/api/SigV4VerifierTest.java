package org.storagegateway.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The verifier against AWS's published Signature Version 4 test suite, and the refusals around it. */
class SigV4VerifierTest {
    private static final String KEY = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");
    private static final SigV4Verifier VERIFIER = new SigV4Verifier(Map.of(KEY, SECRET), "us-east-1", "service");

    /** The suite's "get-vanilla" case. */
    private static SigV4Verifier.SignedRequest vanilla(String signature) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("example.amazonaws.com"));
        headers.put("X-Amz-Date", List.of("20150830T123600Z"));
        headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + signature));
        return new SigV4Verifier.SignedRequest("GET", "/", "", headers, new byte[0]);
    }

    private static final String VANILLA_SIGNATURE =
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    @Test
    void theSuitesVanillaRequestVerifies() throws ApiException {
        assertEquals(KEY, VERIFIER.verify(vanilla(VANILLA_SIGNATURE), SIGNED_AT.plusSeconds(60)));
    }

    @Test
    void aWrongSignatureAnUnknownKeyAndAnotherRegionAreRefused() {
        String wrong = VANILLA_SIGNATURE.replace('5', '6');
        assertEquals("InvalidSignatureException",
                assertThrows(ApiException.class, () -> VERIFIER.verify(vanilla(wrong), SIGNED_AT)).type());
        SigV4Verifier otherKeys = new SigV4Verifier(Map.of("AKIDOTHER", SECRET), "us-east-1", "service");
        assertEquals("UnrecognizedClientException", assertThrows(ApiException.class,
                () -> otherKeys.verify(vanilla(VANILLA_SIGNATURE), SIGNED_AT)).type());
        SigV4Verifier otherRegion = new SigV4Verifier(Map.of(KEY, SECRET), "eu-west-1", "service");
        ApiException region = assertThrows(ApiException.class,
                () -> otherRegion.verify(vanilla(VANILLA_SIGNATURE), SIGNED_AT));
        assertTrue(region.getMessage().contains("eu-west-1"), region.getMessage());
    }

    @Test
    void aRequestOlderOrNewerThanFifteenMinutesIsRefused() {
        ApiException expired = assertThrows(ApiException.class,
                () -> VERIFIER.verify(vanilla(VANILLA_SIGNATURE), SIGNED_AT.plusSeconds(16 * 60)));
        assertEquals("InvalidSignatureException", expired.type());
        assertTrue(expired.getMessage().startsWith("Signature expired"), expired.getMessage());
        assertThrows(ApiException.class,
                () -> VERIFIER.verify(vanilla(VANILLA_SIGNATURE), SIGNED_AT.minusSeconds(16 * 60)));
    }

    @Test
    void aMissingOrMalformedAuthorizationIsRefusedWithTheErrorAwsGives() {
        SigV4Verifier.SignedRequest unsigned = new SigV4Verifier.SignedRequest("POST", "/", "",
                Map.of("Host", List.of("example.amazonaws.com")), new byte[0]);
        ApiException missing = assertThrows(ApiException.class, () -> VERIFIER.verify(unsigned, SIGNED_AT));
        assertEquals("MissingAuthenticationTokenException", missing.type());
        assertEquals(403, missing.status());
        SigV4Verifier.SignedRequest garbled = new SigV4Verifier.SignedRequest("POST", "/", "",
                Map.of("Host", List.of("h"), "Authorization", List.of("Basic dXNlcjpwYXNz")), new byte[0]);
        assertEquals("IncompleteSignatureException",
                assertThrows(ApiException.class, () -> VERIFIER.verify(garbled, SIGNED_AT)).type());
    }

    @Test
    void encodingFollowsRfc3986AsSigV4Asks() {
        assertEquals("a%20b%2Fc~d-e_f.g%C3%A9", SigV4Verifier.encode("a b/c~d-e_f.gé"));
    }
}
