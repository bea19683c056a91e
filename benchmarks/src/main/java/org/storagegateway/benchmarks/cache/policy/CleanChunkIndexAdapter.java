package org.storagegateway.benchmarks.cache.policy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.storagegateway.cache.policy.CleanChunkIndex;

/**
 * The cache's {@link CleanChunkIndex} as it is used: a hit touches the chunk, a miss adds it weighted by its bytes
 * (every chunk full, 1 MiB). The index runs its maintenance and evictions on the calling thread here instead of the
 * cache's evictor thread, so which chunks are held is known at once; what it evicts is removed from {@link #held}.
 */
final class CleanChunkIndexAdapter implements ChunkIndex {
    private static final int CHUNK_BYTES = 1 << 20;
    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    private final CleanChunkIndex index;

    CleanChunkIndexAdapter(int capacityChunks) {
        index = new CleanChunkIndex((long) capacityChunks * CHUNK_BYTES, Runnable::run, held::remove);
    }

    @Override
    public boolean access(long chunk) {
        if (held.contains(chunk)) {
            index.touch(chunk);
            return true;
        }
        held.add(chunk);
        index.add(chunk, CHUNK_BYTES);
        return false;
    }
}
