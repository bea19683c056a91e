package org.storagegateway.gateway.cloud;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The name of one chunk's content in the object store: a 32-byte content digest (SHA-256 of the plain bytes, or a
 * keyed HMAC-SHA-256 when objects are encrypted, so that names reveal nothing). Identical chunks share one object.
 */
public record ChunkRef(byte[] digest) {
    public static final int LENGTH = 32;

    public ChunkRef {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("a chunk digest is " + LENGTH + " bytes, not " + digest.length);
        }
        digest = digest.clone();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** The bytes stored as the cache's remote reference. */
    public byte[] encode() {
        return digest.clone();
    }

    public static ChunkRef decode(byte[] encoded) {
        return new ChunkRef(encoded);
    }

    public String hex() {
        return HexFormat.of().formatHex(digest);
    }

    public static ChunkRef fromHex(String hex) {
        return new ChunkRef(HexFormat.of().parseHex(hex));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChunkRef ref && Arrays.equals(digest, ref.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return hex();
    }
}
