package org.storagegateway.cache;

/**
 * A moment's figures of a {@link BlockCache}, the raw material of CacheHitPercent, CachePercentUsed,
 * CachePercentDirty, CacheUsed and UploadBufferPercentUsed.
 *
 * @param capacityBytes      the configured capacity for cached volumes' data
 * @param usedBytes          cached volumes' data held (clean and dirty, uncompressed page bytes)
 * @param storedVolumeBytes  stored volumes' data held (pinned, outside the capacity)
 * @param dirtyBytes         data of every volume not yet uploaded
 * @param uploadBufferBytes  the configured upload buffer
 * @param uploadBufferUsed   cached volumes' dirty data, which the upload buffer bounds
 * @param readHits           chunk reads served by the cache
 * @param readMisses         chunk reads that had to fetch from the object store
 * @param hotTierHits        page reads served by the in-memory tier
 * @param hotTierMisses      page reads that went to RocksDB
 * @param evictions          chunks evicted
 * @param pageBytesWritten   page bytes written, before compression
 * @param storedBytesWritten the same pages' bytes as stored, after compression
 * @param throttledWrites    writes slowed or held by upload buffer backpressure
 */
public record CacheMetrics(long capacityBytes, long usedBytes, long storedVolumeBytes, long dirtyBytes,
                           long uploadBufferBytes, long uploadBufferUsed, long readHits, long readMisses,
                           long hotTierHits, long hotTierMisses, long evictions, long pageBytesWritten,
                           long storedBytesWritten, long throttledWrites) {

    /** Reads served locally, in percent (100 before any read). */
    public double hitPercent() {
        long reads = readHits + readMisses;
        return reads == 0 ? 100.0 : 100.0 * readHits / reads;
    }

    public double percentUsed() {
        return 100.0 * usedBytes / capacityBytes;
    }

    public double percentDirty() {
        return 100.0 * uploadBufferUsed / capacityBytes;
    }

    public double uploadBufferPercentUsed() {
        return 100.0 * uploadBufferUsed / uploadBufferBytes;
    }

    /** Bytes before compression per byte stored (1.0 before any write). */
    public double compressionRatio() {
        return storedBytesWritten == 0 ? 1.0 : (double) pageBytesWritten / storedBytesWritten;
    }
}
