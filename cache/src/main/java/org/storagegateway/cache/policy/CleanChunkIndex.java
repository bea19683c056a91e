package org.storagegateway.cache.policy;

import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

/**
 * The clean chunks of cached volumes, the only chunks that may be evicted, weighted by their bytes and bounded by
 * what the capacity leaves after dirty data. Caffeine's W-TinyLFU picks the victims (README.md, "Cache", compares it
 * with LRU); the evictor deletes them, after checking under the chunk's lock that they are still clean.
 *
 * <p>Dirty chunks are never here: a write removes its chunk first, and an upload adds it back once clean.
 */
public final class CleanChunkIndex {
    private final Cache<Long, Integer> chunks;
    private volatile long limit;

    /** {@code evictor} runs on {@code executor}, one chunk id at a time. */
    public CleanChunkIndex(long limit, Executor executor, LongConsumer evictor) {
        this.limit = limit;
        this.chunks = Caffeine.newBuilder()
                .maximumWeight(limit)
                .weigher((Long chunk, Integer bytes) -> bytes)
                .executor(executor)
                .removalListener((Long chunk, Integer bytes, RemovalCause cause) -> {
                    if (cause.wasEvicted() && chunk != null) {
                        evictor.accept(chunk);
                    }
                })
                .build();
    }

    public static long key(int volume, long chunk) {
        return (long) volume << 40 | chunk;
    }

    public void add(long chunk, int bytes) {
        chunks.put(chunk, bytes);
    }

    /** Counts an access, so that frequently read chunks stay. */
    public void touch(long chunk) {
        chunks.getIfPresent(chunk);
    }

    public void remove(long chunk) {
        chunks.invalidate(chunk);
    }

    /** Drops every chunk of a volume without evicting it (the volume is going away). */
    public void removeVolume(int volume) {
        chunks.asMap().keySet().removeIf(key -> key >>> 40 == volume);
    }

    /** Changes the bound, evicting at once if clean data is now over it. */
    public void setLimit(long bytes) {
        if (bytes != limit) {
            limit = bytes;
            chunks.policy().eviction().ifPresent(eviction -> eviction.setMaximum(bytes));
        }
    }

    public long limit() {
        return limit;
    }

    /** Runs pending maintenance (evictions) now. */
    public void cleanUp() {
        chunks.cleanUp();
    }

    public long entries() {
        return chunks.estimatedSize();
    }
}
