package org.storagegateway.benchmarks.cache.policy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.storagegateway.cache.policy.CleanChunkIndex;

/**
 * The cache's {@link CleanChunkIndex} as the cache uses it: a read of a held chunk touches it, a fetched chunk is added
 * weighted by its bytes (every chunk full, 1 MiB). The index runs its maintenance and evictions on the calling thread
 * here instead of the cache's evictor thread, so which chunks are held is known at once; what it evicts leaves {@link
 * #held}.
 */
final class CleanChunkIndexAdapter implements ChunkIndex {
    private static final int CHUNK_BYTES = 1 << 20;
    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    private final CleanChunkIndex index;

    CleanChunkIndexAdapter(int capacityChunks) {
        index = new CleanChunkIndex((long) capacityChunks * CHUNK_BYTES, Runnable::run, held::remove);
    }

    @Override
    public boolean holds(long chunk) {
        return held.contains(chunk);
    }

    @Override
    public void touch(long chunk) {
        index.touch(chunk);
    }

    @Override
    public void add(long chunk) {
        held.add(chunk);
        index.add(chunk, CHUNK_BYTES);
    }
}
