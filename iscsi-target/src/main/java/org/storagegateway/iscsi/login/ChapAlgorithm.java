package org.storagegateway.iscsi.login;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * CHAP digest algorithms by their CHAP_A code (IANA PPP authentication algorithms; RFC 1994 for MD5, RFC 7143
 * §12.1.3 for CHAP in iSCSI). SHA-1, SHA-256 and SHA3-256 are what Linux open-iscsi and libiscsi also offer.
 */
enum ChapAlgorithm {
    MD5(5, "MD5", 16),
    SHA1(6, "SHA-1", 20),
    SHA256(7, "SHA-256", 32),
    SHA3_256(8, "SHA3-256", 32);

    private final int code;
    private final String jcaName;
    private final int digestLength;

    ChapAlgorithm(int code, String jcaName, int digestLength) {
        this.code = code;
        this.jcaName = jcaName;
        this.digestLength = digestLength;
    }

    int code() {
        return code;
    }

    int digestLength() {
        return digestLength;
    }

    /** The algorithm with this CHAP_A code; empty for codes this target does not implement. */
    static Optional<ChapAlgorithm> ofCode(long code) {
        for (ChapAlgorithm algorithm : values()) {
            if (algorithm.code == code) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** RFC 1994 §4.1: the response is the digest of the identifier byte, the secret and the challenge, in that order. */
    byte[] response(int identifier, byte[] secret, byte[] challenge) {
        MessageDigest digest = newDigest();
        digest.update((byte) identifier);
        digest.update(secret);
        digest.update(challenge);
        return digest.digest();
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            // Every Java 17 runtime must provide these (java.security.MessageDigest's required algorithms + SHA3).
            throw new IllegalStateException(jcaName + " is missing from this Java runtime", e);
        }
    }
}
