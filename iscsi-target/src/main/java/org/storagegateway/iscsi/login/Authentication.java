package org.storagegateway.iscsi.login;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.storagegateway.iscsi.target.ChapCredentials;
import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * The security negotiation stage of one login (RFC 7143 §6.3.2, §12): AuthMethod, then CHAP as RFC 7143 §12.1.3
 * and RFC 1994 describe it, one-way or mutual.
 */
final class Authentication {
    /** The keys this class handles; they may appear only in the security negotiation stage. */
    static final Set<String> CHAP_KEYS = Set.of("CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R");
    static final String AUTH_METHOD = "AuthMethod";

    /** RFC 7143 §12.1.3: binary CHAP values are at most 1024 bytes. */
    private static final int MAX_CHAP_BINARY_BYTES = 1024;
    /** Our challenges are at least 16 bytes and never shorter than the digest (RFC 7143 §12.1.3). */
    private static final int MIN_CHALLENGE_BYTES = 16;

    private enum State { AWAIT_METHOD, AWAIT_ALGORITHM, AWAIT_RESPONSE, DONE }

    private final ChapPolicy policy;
    private final SecureRandom random;
    private State state = State.AWAIT_METHOD;
    private ChapAlgorithm algorithm;
    private int identifier;
    private byte[] challenge;

    Authentication(ChapPolicy policy, SecureRandom random) {
        this.policy = policy;
        this.random = random;
    }

    /** Whether the security stage may end: authenticated, or nothing to authenticate. */
    boolean complete() {
        return state == State.DONE || (state == State.AWAIT_METHOD && !policy.required());
    }

    /**
     * The initiator asks to leave the security stage. Refused outright when the target needs CHAP and the initiator
     * never offered it; a CHAP exchange still under way just keeps the stage open (T=0).
     */
    boolean mayLeave() {
        if (state == State.AWAIT_METHOD && policy.required()) {
            throw LoginException.authenticationFailure("the target requires CHAP but the initiator did not offer it");
        }
        return complete();
    }

    /**
     * Handles one request's security keys and adds our answers to {@code out}.
     *
     * @param authMethod the AuthMethod value, or null if the request had none
     * @param chapKeys   the request's CHAP_* keys (possibly empty)
     */
    void negotiate(String authMethod, Map<String, String> chapKeys, KeyValueText.Writer out) {
        if (authMethod != null) {
            chooseMethod(authMethod, out);
        }
        if (chapKeys.isEmpty()) {
            return;
        }
        switch (state) {
            case AWAIT_ALGORITHM -> chooseAlgorithm(chapKeys, out);
            case AWAIT_RESPONSE -> verifyResponse(chapKeys, out);
            default -> throw LoginException.authenticationFailure("CHAP keys %s outside a CHAP exchange",
                    chapKeys.keySet());
        }
    }

    /** RFC 7143 §6.2.1: the first method in the initiator's list that we accept. */
    private void chooseMethod(String offered, KeyValueText.Writer out) {
        if (state != State.AWAIT_METHOD) {
            throw LoginException.initiatorError("AuthMethod offered again");
        }
        String accepted = policy.required() ? "CHAP" : "None";
        boolean offeredAccepted = Arrays.stream(offered.split(",", -1)).anyMatch(accepted::equals);
        if (!offeredAccepted) {
            if (policy.required()) {
                throw LoginException.authenticationFailure("the target requires CHAP, the initiator offered %s",
                        offered);
            }
            // We have no CHAP credentials to check; the initiator decides whether to go on unauthenticated.
            out.add(AUTH_METHOD, TextValues.REJECT);
            state = State.DONE;
            return;
        }
        out.add(AUTH_METHOD, accepted);
        state = policy.required() ? State.AWAIT_ALGORITHM : State.DONE;
    }

    /** RFC 7143 §12.1.3: the initiator lists algorithms; we answer one with an identifier and a challenge. */
    private void chooseAlgorithm(Map<String, String> chapKeys, KeyValueText.Writer out) {
        String offered = chapKeys.get("CHAP_A");
        if (offered == null || chapKeys.size() != 1) {
            throw LoginException.authenticationFailure("expected CHAP_A alone, got %s", chapKeys.keySet());
        }
        for (String code : offered.split(",", -1)) {
            Optional<ChapAlgorithm> supported = code.isEmpty() ? Optional.empty()
                    : ChapAlgorithm.ofCode(TextValues.parseNumber("CHAP_A", code).longValue());
            if (supported.isPresent()) {
                algorithm = supported.get();
                break;
            }
        }
        if (algorithm == null) {
            throw LoginException.authenticationFailure("no CHAP algorithm in common with CHAP_A=%s", offered);
        }
        identifier = random.nextInt(256);
        challenge = new byte[Math.max(MIN_CHALLENGE_BYTES, algorithm.digestLength())];
        random.nextBytes(challenge);
        out.add("CHAP_A", Integer.toString(algorithm.code()));
        out.add("CHAP_I", Integer.toString(identifier));
        out.add("CHAP_C", TextValues.formatHex(challenge));
        state = State.AWAIT_RESPONSE;
    }

    /** RFC 7143 §12.1.3: check CHAP_N/CHAP_R, then answer the initiator's own challenge if it sent one (mutual). */
    private void verifyResponse(Map<String, String> chapKeys, KeyValueText.Writer out) {
        String name = chapKeys.get("CHAP_N");
        String response = chapKeys.get("CHAP_R");
        String mutualIdentifier = chapKeys.get("CHAP_I");
        String mutualChallenge = chapKeys.get("CHAP_C");
        if (name == null || response == null || chapKeys.containsKey("CHAP_A")) {
            throw LoginException.authenticationFailure("expected CHAP_N and CHAP_R, got %s", chapKeys.keySet());
        }
        if ((mutualIdentifier == null) != (mutualChallenge == null)) {
            throw LoginException.authenticationFailure("mutual CHAP needs both CHAP_I and CHAP_C");
        }
        ChapCredentials expected = policy.initiator();
        byte[] expectedResponse = algorithm.response(identifier, expected.secretBytes(), challenge);
        byte[] actualResponse = parseChapBinary("CHAP_R", response);
        // Compare the response whatever the name, so a wrong name and a wrong secret take the same time.
        boolean responseMatches = MessageDigest.isEqual(expectedResponse, actualResponse);
        if (!name.equals(expected.user()) || !responseMatches) {
            throw LoginException.authenticationFailure("CHAP verification failed for CHAP_N=%s", name);
        }
        if (mutualChallenge != null) {
            answerMutualChallenge(mutualIdentifier, mutualChallenge, out);
        }
        state = State.DONE;
    }

    private void answerMutualChallenge(String identifierValue, String challengeValue, KeyValueText.Writer out) {
        if (!policy.mutual()) {
            throw LoginException.authenticationFailure("mutual CHAP asked for, but the target has no credentials");
        }
        long initiatorIdentifier = TextValues.parseNumber("CHAP_I", identifierValue).longValue();
        if (initiatorIdentifier < 0 || initiatorIdentifier > 255) {
            throw LoginException.authenticationFailure("CHAP_I=%s is not 0-255", identifierValue);
        }
        byte[] initiatorChallenge = parseChapBinary("CHAP_C", challengeValue);
        if (Arrays.equals(initiatorChallenge, challenge)) {
            // RFC 7143 §12.1.3: a reflected challenge would let an attacker use us to answer our own challenge.
            throw LoginException.authenticationFailure("the initiator's CHAP_C repeats the target's challenge");
        }
        ChapCredentials target = policy.target();
        byte[] answer = algorithm.response((int) initiatorIdentifier, target.secretBytes(), initiatorChallenge);
        out.add("CHAP_N", target.user());
        out.add("CHAP_R", TextValues.formatHex(answer));
    }

    private static byte[] parseChapBinary(String key, String value) {
        byte[] bytes;
        try {
            bytes = TextValues.parseBinary(key, value);
        } catch (MalformedTextException e) {
            throw LoginException.authenticationFailure("%s", e.getMessage());
        }
        if (bytes.length == 0 || bytes.length > MAX_CHAP_BINARY_BYTES) {
            throw LoginException.authenticationFailure("%s must be 1-1024 bytes, was %d", key, bytes.length);
        }
        return bytes;
    }
}
