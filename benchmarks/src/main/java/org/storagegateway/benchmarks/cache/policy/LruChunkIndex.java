package org.storagegateway.benchmarks.cache.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/** Plain LRU over chunks: an access-ordered {@link LinkedHashMap} that drops its eldest when full, behind a lock. */
final class LruChunkIndex implements ChunkIndex {
    private final Map<Long, Boolean> chunks;

    LruChunkIndex(int capacityChunks) {
        chunks = new LinkedHashMap<>(2 * capacityChunks, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacityChunks;
            }
        };
    }

    @Override
    public synchronized boolean holds(long chunk) {
        return chunks.containsKey(chunk);
    }

    @Override
    public synchronized void touch(long chunk) {
        chunks.get(chunk);
    }

    @Override
    public synchronized void add(long chunk) {
        chunks.put(chunk, Boolean.TRUE);
    }
}
