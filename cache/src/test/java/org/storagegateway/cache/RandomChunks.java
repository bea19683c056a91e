package org.storagegateway.cache;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Reproducible, incompressible test content: each (chunk, version) has its own random bytes, so LZ4 hides nothing. */
final class RandomChunks {
    private RandomChunks() {
    }

    /** The whole content of version {@code version} of chunk {@code index}. */
    static byte[] chunk(long index, int version, int chunkSize) {
        byte[] data = new byte[chunkSize];
        new SplittableRandom(index * 1_000_003L + version).nextBytes(data);
        return data;
    }

    /** {@code [from, from + length)} of that content. */
    static byte[] slice(long index, int version, int chunkSize, int from, int length) {
        return Arrays.copyOfRange(chunk(index, version, chunkSize), from, from + length);
    }
}
