package org.storagegateway.cache;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link BlockCache} is laid out and bounded.
 *
 * @param directory         where RocksDB keeps its files
 * @param capacityBytes     the most volume data of cached (evictable) volumes held at once, clean and dirty together
 * @param uploadBufferBytes the most dirty data of cached volumes before writes slow down and then wait
 * @param chunkSize         the unit of dirty tracking, eviction and (later) upload: a power of two of at least
 *                          {@code pageSize}
 * @param pageSize          the unit stored and compressed in RocksDB, so a partial write rewrites only the pages it
 *                          touches: a power of two, 512 to 64 KiB
 * @param hotTierBytes      the heap given to decompressed hot pages (Caffeine); 0 turns the tier off
 * @param blockCacheBytes   RocksDB's own (off-heap) cache of SST blocks
 */
public record CacheSettings(Path directory, long capacityBytes, long uploadBufferBytes, int chunkSize, int pageSize,
                            long hotTierBytes, long blockCacheBytes) {
    /** The default chunk: see README.md, "Cache", for the measurement behind it. */
    public static final int DEFAULT_CHUNK_SIZE = 1 << 20;
    /** The default page: the physical block of 4Kn and 512e disks, and what initiators write most. */
    public static final int DEFAULT_PAGE_SIZE = 4096;
    public static final long DEFAULT_HOT_TIER_BYTES = 128L << 20;
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
    /** Chunk indexes share a long with a volume id in memory: 40 bits of chunks, 23 of volumes. */
    static final int MAX_CHUNK_SIZE = 64 << 20;

    public CacheSettings {
        Objects.requireNonNull(directory, "directory");
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two from 512 to 65536, was " + pageSize);
        }
        if (chunkSize < pageSize || chunkSize > MAX_CHUNK_SIZE || Integer.bitCount(chunkSize) != 1
                || chunkSize / pageSize > 65536) {
            throw new IllegalArgumentException("chunk size must be a power of two from the page size (" + pageSize
                    + ") to 64 MiB, at most 65536 pages, was " + chunkSize);
        }
        if (uploadBufferBytes < chunkSize) {
            throw new IllegalArgumentException("the upload buffer must hold at least one chunk (" + chunkSize
                    + " bytes), was " + uploadBufferBytes);
        }
        if (capacityBytes < uploadBufferBytes + 2L * chunkSize) {
            throw new IllegalArgumentException("the cache capacity (" + capacityBytes + ") must exceed the upload"
                    + " buffer (" + uploadBufferBytes + ") by at least two chunks, so clean data has room");
        }
        if (hotTierBytes < 0 || blockCacheBytes < 0) {
            throw new IllegalArgumentException("memory sizes must not be negative");
        }
    }

    /** Settings with the default chunk, page and memory sizes. */
    public static CacheSettings of(Path directory, long capacityBytes, long uploadBufferBytes) {
        return new CacheSettings(directory, capacityBytes, uploadBufferBytes, DEFAULT_CHUNK_SIZE, DEFAULT_PAGE_SIZE,
                DEFAULT_HOT_TIER_BYTES, DEFAULT_BLOCK_CACHE_BYTES);
    }

    /** The same settings with another chunk size. */
    public CacheSettings withChunkSize(int size) {
        return new CacheSettings(directory, capacityBytes, uploadBufferBytes, size, pageSize, hotTierBytes,
                blockCacheBytes);
    }

    /** The same settings with other memory budgets. */
    public CacheSettings withMemory(long hotTier, long blockCache) {
        return new CacheSettings(directory, capacityBytes, uploadBufferBytes, chunkSize, pageSize, hotTier,
                blockCache);
    }
}
