package org.storagegateway.cache;

import java.io.IOException;

/** Where a cached volume's chunks live while they are not in the cache: the object store. */
@FunctionalInterface
public interface ChunkSource {
    /**
     * Fills {@code chunk} (one chunk's bytes) with the content of chunk {@code index}. Returns false when the store
     * holds nothing for it, in which case it reads as zeros and {@code chunk} is left alone.
     */
    boolean read(long index, byte[] chunk) throws IOException;

    /**
     * Whether the store may hold content for chunk {@code index}; false lets the cache treat the chunk as zeros
     * without asking. Must be cheap (an in-memory lookup).
     */
    default boolean holds(long index) {
        return true;
    }
}
