package org.storagegateway.benchmarks.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;

/**
 * One stored volume in a {@link BlockCache} of its own, in a temporary directory that {@link #close} deletes: what the
 * cache benchmarks and studies write to and read from.
 */
public final class ScratchVolume implements AutoCloseable {
    private static final String NAME = "bench";
    private final ScratchDirectory directory;
    private final CacheSettings settings;
    private final long sizeBytes;
    private BlockCache cache;
    private CachedVolume volume;

    private ScratchVolume(ScratchDirectory directory, CacheSettings settings, long sizeBytes) throws IOException {
        this.directory = directory;
        this.settings = settings;
        this.sizeBytes = sizeBytes;
        open();
    }

    /**
     * A volume of {@code sizeBytes} in chunks and pages of the sizes given, with a hot tier of {@code hotTierBytes} (0:
     * none) and RocksDB's default block cache. Stored volumes are never evicted, so the capacity is only nominal.
     */
    public static ScratchVolume create(long sizeBytes, int chunkSize, int pageSize, long hotTierBytes)
            throws IOException {
        ScratchDirectory directory = new ScratchDirectory("cache-bench");
        long uploadBuffer = Math.max(chunkSize, 64L << 20);
        CacheSettings settings = new CacheSettings(directory.path(), uploadBuffer + 4L * chunkSize, uploadBuffer,
                chunkSize, pageSize, hotTierBytes, CacheSettings.DEFAULT_BLOCK_CACHE_BYTES);
        return new ScratchVolume(directory, settings, sizeBytes);
    }

    private void open() throws IOException {
        cache = BlockCache.open(settings);
        volume = cache.openVolume(NAME, sizeBytes, VolumeMode.STORED, null);
    }

    /** Writes the whole volume once, 1 MiB at a time, from {@code pattern} (a multiple of 1 MiB long) over and over. */
    public void fill(byte[] pattern) throws IOException {
        int step = 1 << 20;
        if (pattern.length == 0 || pattern.length % step != 0) {
            throw new IllegalArgumentException("the pattern must be a multiple of 1 MiB long, was " + pattern.length);
        }
        for (long offset = 0; offset < sizeBytes; offset += step) {
            int length = (int) Math.min(step, sizeBytes - offset);
            volume.write(offset, ByteBuffer.wrap(pattern, (int) (offset % pattern.length), length), false);
        }
    }

    /**
     * Closes and opens the cache again: RocksDB flushes what its write-ahead log replays into table files, so reads
     * then come from those files (its block cache and the OS's page cache), as after any restart, not from memtables.
     */
    public void reopen() throws IOException {
        volume.close();
        cache.close();
        open();
    }

    public CachedVolume volume() {
        return volume;
    }

    public BlockCache cache() {
        return cache;
    }

    @Override
    public void close() throws IOException {
        try {
            volume.close();
            cache.close();
        } finally {
            directory.close();
        }
    }
}
