package org.storagegateway.iscsi.target;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A CHAP name and secret (RFC 7143 §12.1.3). Secrets are 12 to 16 bytes, as AWS Storage Gateway requires and as
 * RFC 7143 recommends for at least 96 bits of randomness.
 */
public record ChapCredentials(String user, String secret) {
    public static final int MIN_SECRET_BYTES = 12;
    public static final int MAX_SECRET_BYTES = 16;

    public ChapCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
        if (user.isEmpty() || user.length() > 255) {
            throw new IllegalArgumentException("CHAP user name must be 1-255 characters");
        }
        int length = secret.getBytes(StandardCharsets.UTF_8).length;
        if (length < MIN_SECRET_BYTES || length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException(String.format("CHAP secret for %s must be %d-%d bytes, was %d",
                    user, MIN_SECRET_BYTES, MAX_SECRET_BYTES, length));
        }
    }

    public byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ChapCredentials[user=" + user + ", secret=<hidden>]";
    }
}
