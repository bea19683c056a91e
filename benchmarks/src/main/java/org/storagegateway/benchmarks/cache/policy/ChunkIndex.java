package org.storagegateway.benchmarks.cache.policy;

/**
 * The eviction policy of clean chunks, reduced to what a read does with it: a chunk the cache holds is a hit and
 * counts as an access; one it does not is fetched and added, and the policy may evict others (or the new one) to stay
 * within its capacity. Implementations are safe for concurrent use, as the cache's index must be.
 */
public interface ChunkIndex {
    /** Reads {@code chunk}: true if the cache held it; otherwise it is brought in. */
    boolean access(long chunk);

    /** The policies compared, as a JMH parameter. */
    enum Policy {
        /** The cache's own {@code CleanChunkIndex}: Caffeine's W-TinyLFU. */
        TINY_LFU {
            @Override
            public ChunkIndex create(int capacityChunks) {
                return new CleanChunkIndexAdapter(capacityChunks);
            }
        },
        /** Least recently used, from an access-ordered {@link java.util.LinkedHashMap} behind one lock. */
        LRU {
            @Override
            public ChunkIndex create(int capacityChunks) {
                return new LruChunkIndex(capacityChunks);
            }
        };

        /** An empty index that holds at most {@code capacityChunks} chunks. */
        public abstract ChunkIndex create(int capacityChunks);
    }
}
