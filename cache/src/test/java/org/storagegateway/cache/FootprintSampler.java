package org.storagegateway.cache;

import java.nio.file.Path;

/** Samples a cache's footprint during a test and keeps the largest figures seen. */
final class FootprintSampler {
    private final BlockCache cache;
    private final Path directory;
    private long maxUsedBytes;
    private long maxDirtyBytes;
    private long maxDiskBytes;
    private CacheFootprint maxFiles = new CacheFootprint(0, 0, 0);
    private long maxHotTierBytes;
    private long maxIndexedChunks;

    FootprintSampler(BlockCache cache, Path directory) {
        this.cache = cache;
        this.directory = directory;
    }

    /** The in-memory figures, cheap enough to take after every operation. */
    void sample() {
        CacheMetrics metrics = cache.metrics();
        maxUsedBytes = Math.max(maxUsedBytes, metrics.usedBytes());
        maxDirtyBytes = Math.max(maxDirtyBytes, metrics.uploadBufferUsed());
        maxHotTierBytes = Math.max(maxHotTierBytes, cache.hotTier.weightedBytes());
        maxIndexedChunks = Math.max(maxIndexedChunks, cache.index.entries());
    }

    /** The in-memory figures, RocksDB's own size figure and the files in the cache directory. */
    void sampleDisk() {
        sample();
        maxDiskBytes = Math.max(maxDiskBytes, cache.diskBytes());
        CacheFootprint files = CacheFootprint.of(directory);
        if (files.totalBytes() > maxFiles.totalBytes()) {
            maxFiles = files;
        }
    }

    long maxUsedBytes() {
        return maxUsedBytes;
    }

    long maxDirtyBytes() {
        return maxDirtyBytes;
    }

    long maxDiskBytes() {
        return maxDiskBytes;
    }

    CacheFootprint maxFiles() {
        return maxFiles;
    }

    long maxHotTierBytes() {
        return maxHotTierBytes;
    }

    long maxIndexedChunks() {
        return maxIndexedChunks;
    }

    @Override
    public String toString() {
        return String.format("max used %.1f MiB, max dirty %.1f MiB, max RocksDB size %.1f MiB, max files %s,"
                        + " max hot tier %.1f MiB, max indexed chunks %d", CacheFootprint.mib(maxUsedBytes),
                CacheFootprint.mib(maxDirtyBytes), CacheFootprint.mib(maxDiskBytes), maxFiles,
                CacheFootprint.mib(maxHotTierBytes), maxIndexedChunks);
    }
}
