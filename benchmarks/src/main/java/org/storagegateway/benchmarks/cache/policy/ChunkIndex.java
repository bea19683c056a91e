package org.storagegateway.benchmarks.cache.policy;

/**
 * The eviction policy of clean chunks, reduced to what reads do with it: a read of a chunk the cache holds counts as
 * an access ({@link #touch}); a chunk it does not hold is fetched and {@link #add}ed, and the policy may evict others
 * (or the new one) to stay within its capacity. Implementations are safe for concurrent use, as the cache's index
 * must be.
 */
public interface ChunkIndex {
    /** Whether the cache holds {@code chunk} (the cache itself knows this from the chunk's record). */
    boolean holds(long chunk);

    /** Counts a read of a held chunk. */
    void touch(long chunk);

    /** Brings in a chunk that is not held. */
    void add(long chunk);

    /** Reads {@code chunk}: true if the cache held it; otherwise it is brought in. */
    default boolean access(long chunk) {
        if (holds(chunk)) {
            touch(chunk);
            return true;
        }
        add(chunk);
        return false;
    }

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
