package org.storagegateway.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.scsi.block.BlockDevice.Extent;

/**
 * Issue 4: metadata memory does not grow with the size of a volume, only with what is cached. A 16 TiB thin stored
 * volume is created, then 1 GiB is written across it; the heap is measured before, after creating and after writing.
 */
class ThinVolumeMemoryTest {
    private static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;
    private static final int PAGE = CacheSettings.DEFAULT_PAGE_SIZE;
    private static final long VOLUME_SIZE = 16L << 40;
    private static final long HOT_TIER = 8L << 20;
    /** 768 MiB in single chunks spread evenly over the volume, and 256 MiB in one run: 1 GiB in all. */
    private static final int SPREAD_CHUNKS = 768;
    private static final int RUN_CHUNKS = 256;
    private static final long STRIDE_CHUNKS = VOLUME_SIZE / CHUNK / SPREAD_CHUNKS;
    /** The run lies between two spread chunks, so that it is one mapped extent of its own. */
    private static final long RUN_FIRST_CHUNK = 100 * STRIDE_CHUNKS + STRIDE_CHUNKS / 2;
    private static final long MAX_HEAP_TO_CREATE = 8L << 20;
    /** What writing may add: the hot tier, and a remainder that does not grow with the volume's size. */
    private static final long MAX_HEAP_TO_WRITE = HOT_TIER + (64L << 20);
    private static final int MAPPING_EXTENTS_PER_CALL = 256;

    @TempDir
    Path directory;

    @Test
    void aSixteenTebibyteThinVolumeCostsHeapOnlyForWhatIsWrittenToIt() throws IOException {
        byte[] base = new byte[CHUNK];
        new SplittableRandom(7).nextBytes(base);
        try (BlockCache cache = BlockCache.open(CacheSettings.of(directory, 64L << 20, 16L << 20)
                .withMemory(HOT_TIER, 8L << 20))) {
            long before = CacheFootprint.usedHeapAfterGc();
            CachedVolume volume = cache.openVolume("thin", VOLUME_SIZE, VolumeMode.STORED, null);
            long created = CacheFootprint.usedHeapAfterGc();

            TreeSet<Long> written = new TreeSet<>();
            long started = System.nanoTime();
            for (int i = 0; i < SPREAD_CHUNKS; i++) {
                written.add(i * STRIDE_CHUNKS);
            }
            for (int i = 0; i < RUN_CHUNKS; i++) {
                written.add(RUN_FIRST_CHUNK + i);
            }
            for (long chunk : written) {
                volume.write(chunk * CHUNK, ByteBuffer.wrap(content(base, chunk)), false);
            }
            long writeNanos = System.nanoTime() - started;
            assertEquals(1L << 30, cache.metrics().storedVolumeBytes());
            long afterWriting = CacheFootprint.usedHeapAfterGc();

            started = System.nanoTime();
            readSome(volume, base, written);
            List<Extent> mapped = mappedExtents(volume);
            long readNanos = System.nanoTime() - started;
            long afterReading = CacheFootprint.usedHeapAfterGc();

            System.out.printf("16 TiB thin volume: heap %.1f MiB before creating it, %.1f MiB after, %.1f MiB after"
                            + " writing 1 GiB (%.1f s), %.1f MiB after reading 64 MiB back and mapping it all"
                            + " (%.1f s); RocksDB %.1f MiB, files %s%n", mib(before), mib(created),
                    mib(afterWriting), writeNanos / 1e9, mib(afterReading), readNanos / 1e9,
                    mib(cache.diskBytes()), CacheFootprint.of(directory));

            assertEquals(SPREAD_CHUNKS + 1, mapped.size(), "each spread chunk is a mapped extent, and the run one");
            assertEquals(1L << 30, mapped.stream().mapToLong(Extent::length).sum());
            assertTrue(created - before < MAX_HEAP_TO_CREATE, "creating a 16 TiB volume took "
                    + mib(created - before) + " MiB of heap");
            assertTrue(afterWriting - before < MAX_HEAP_TO_WRITE, "writing 1 GiB took " + mib(afterWriting - before)
                    + " MiB of heap");
            assertTrue(afterReading - before < MAX_HEAP_TO_WRITE, "reading and mapping took "
                    + mib(afterReading - before) + " MiB of heap");
        }
    }

    /** A chunk's content: random bytes shared by all chunks, with the chunk's index at the start of every page. */
    private static byte[] content(byte[] base, long chunk) {
        byte[] data = base.clone();
        for (int page = 0; page < CHUNK; page += PAGE) {
            ByteBuffer.wrap(data, page, Long.BYTES).putLong(chunk);
        }
        return data;
    }

    /** Reads back every twelfth written chunk in 64 KiB pieces (which go through the hot tier) and checks it. */
    private static void readSome(CachedVolume volume, byte[] base, TreeSet<Long> written) throws IOException {
        int piece = 64 << 10;
        int i = 0;
        for (long chunk : written) {
            if (i++ % 12 != 0) {
                continue;
            }
            byte[] expected = content(base, chunk);
            for (int from = 0; from < CHUNK; from += piece) {
                ByteBuffer data = ByteBuffer.allocate(piece);
                volume.read(chunk * CHUNK + from, data);
                assertArrayEquals(Arrays.copyOfRange(expected, from, from + piece), data.array(),
                        "chunk " + chunk + " at " + from);
            }
        }
    }

    /** The whole volume's mapped extents, asked for as GET LBA STATUS would: a bounded number at a time. */
    private static List<Extent> mappedExtents(CachedVolume volume) throws IOException {
        List<Extent> mapped = new ArrayList<>();
        long offset = 0;
        while (offset < volume.size()) {
            List<Extent> extents = volume.mapping(offset, volume.size() - offset, MAPPING_EXTENTS_PER_CALL);
            for (Extent extent : extents) {
                if (extent.mapped()) {
                    mapped.add(extent);
                }
                offset = extent.offset() + extent.length();
            }
        }
        return mapped;
    }

    private static double mib(long bytes) {
        return CacheFootprint.mib(bytes);
    }
}
