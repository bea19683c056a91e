package org.storagegateway.benchmarks.cache;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.storagegateway.benchmarks.cache.store.DataKind;
import org.storagegateway.benchmarks.cache.store.PageCodecBenchmark;
import org.storagegateway.cache.CacheMetrics;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.policy.CleanChunkIndex;
import org.storagegateway.cache.store.ChunkRecord;

/**
 * The figures behind the chunk and page size defaults that are counts rather than speeds (the speeds are {@link
 * BlockCacheBenchmark}'s): heap per chunk in the clean-chunk index and in the chunk record cache, a chunk record's
 * encoded size, the dirty amplification of 4 KiB random writes (bytes an uploader must send per byte written), and the
 * bytes 4 KiB random writes store with 4 and 16 KiB pages. Heap figures are medians of three measurements:
 * {@code java -cp benchmarks/target/bench.jar org.storagegateway.benchmarks.cache.LayoutStudy}.
 */
public final class LayoutStudy {
    static final int[] CHUNK_SIZES = {256 << 10, 1 << 20, 4 << 20};
    /** Entries measured, and the bound of {@code BlockCache}'s record cache (its RECORD_CACHE_ENTRIES). */
    static final int ENTRIES = 1 << 16;
    static final int WRITE = 4096;
    private static final long GIB = 1L << 30;

    private LayoutStudy() {
    }

    public static void main(String[] args) throws IOException {
        long dirtyVolumeBytes = args.length > 0 ? Long.parseLong(args[0]) << 20 : 4 * GIB;
        long pageVolumeBytes = args.length > 1 ? Long.parseLong(args[1]) << 20 : 256L << 20;
        chunkMetadata();
        dirtyAmplification(dirtyVolumeBytes);
        pageSizeWrites(pageVolumeBytes, (int) (pageVolumeBytes / WRITE / 10));
    }

    /** Heap per chunk held by the clean-chunk index and the record cache, and a chunk record's encoded size. */
    static void chunkMetadata() {
        System.out.printf("Chunk metadata, 4 KiB pages (%d entries measured)%n%n", ENTRIES);
        System.out.println("| chunk | clean-chunk index, B/chunk | per cached GiB | record cache, B/chunk"
                + " | per GiB | record cache at its bound (covers) | record, complete / partial |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int chunkSize : CHUNK_SIZES) {
            int pages = chunkSize / CacheSettings.DEFAULT_PAGE_SIZE;
            double index = heapPerEntry(entries -> cleanChunkIndex(entries, chunkSize));
            double records = heapPerEntry(entries -> recordCache(entries, pages));
            long perGib = GIB / chunkSize;
            ChunkRecord partial = ChunkRecord.empty(pages, false);
            partial.setPage(0, true);
            System.out.printf("| %d KiB | %.0f | %.0f KiB | %.0f | %.0f KiB | %.1f MiB (%d GiB) | %d / %d B |%n",
                    chunkSize >> 10, index, index * perGib / 1024, records, records * perGib / 1024,
                    records * ENTRIES / 1048576, (long) ENTRIES * chunkSize / GIB,
                    ChunkRecord.empty(pages, true).encode().length, partial.encode().length);
        }
        System.out.println();
    }

    private static Object cleanChunkIndex(int entries, int chunkSize) {
        CleanChunkIndex index = new CleanChunkIndex((long) entries * chunkSize, Runnable::run, chunk -> { });
        for (int chunk = 0; chunk < entries; chunk++) {
            index.add(CleanChunkIndex.key(1, chunk), chunkSize);
        }
        index.cleanUp();
        return index;
    }

    /** Configured as {@code BlockCache} configures its record cache (which is private to it). */
    private static Object recordCache(int entries, int pages) {
        Cache<Long, ChunkRecord> records = Caffeine.newBuilder().maximumSize(ENTRIES).executor(Runnable::run).build();
        for (int chunk = 0; chunk < entries; chunk++) {
            ChunkRecord record = ChunkRecord.empty(pages, true);
            record.setPage(chunk % pages, true);
            records.put(CleanChunkIndex.key(1, chunk), record);
        }
        records.cleanUp();
        return records;
    }

    /** Heap bytes per entry of what {@code build} makes with {@link #ENTRIES} entries: the median of three. */
    static double heapPerEntry(IntFunction<Object> build) {
        double[] samples = new double[3];
        for (int i = 0; i < samples.length; i++) {
            long before = usedHeapAfterGc();
            Object built = build.apply(ENTRIES);
            long after = usedHeapAfterGc();
            samples[i] = (double) (after - before) / ENTRIES;
            java.lang.ref.Reference.reachabilityFence(built);
        }
        Arrays.sort(samples);
        return samples[1];
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * 4 KiB writes at uniformly random pages of a stored volume, a growing share of its pages between two upload
     * passes: the chunks they leave dirty, whole, are what an uploader sends.
     */
    static void dirtyAmplification(long volumeBytes) throws IOException {
        System.out.printf("Dirty amplification of 4 KiB random writes over a %d GiB volume%n%n", volumeBytes / GIB);
        System.out.println("| chunk | writes between uploads (share of the volume) | dirty chunks | bytes to upload"
                + " per byte written |");
        System.out.println("| --- | ---: | ---: | ---: |");
        byte[] data = DataKind.CLASS_FILES.bytes(PageCodecBenchmark.CORPUS);
        for (int chunkSize : CHUNK_SIZES) {
            for (double share : new double[] {0.001, 0.01, 0.1}) {
                long writes = (long) (volumeBytes / WRITE * share);
                try (ScratchVolume scratch = ScratchVolume.create(volumeBytes, chunkSize,
                        CacheSettings.DEFAULT_PAGE_SIZE, 0)) {
                    writeRandomly(scratch.volume(), data, writes, volumeBytes);
                    long dirty = dirtyChunks(scratch.volume());
                    System.out.printf("| %d KiB | %d (%.1f%%) | %d | %.1f |%n", chunkSize >> 10, writes,
                            100 * share, dirty, (double) dirty * chunkSize / (writes * WRITE));
                }
            }
        }
        System.out.println();
    }

    private static void writeRandomly(CachedVolume volume, byte[] data, long writes, long range)
            throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (long i = 0; i < writes; i++) {
            int from = (int) (i * WRITE % data.length);
            volume.write(random.nextLong(range / WRITE) * WRITE, ByteBuffer.wrap(data, from, WRITE), false);
        }
    }

    private static long dirtyChunks(CachedVolume volume) {
        long count = 0;
        long from = 0;
        while (true) {
            var batch = volume.dirtyChunks(from, 4096);
            if (batch.isEmpty()) {
                return count;
            }
            count += batch.size();
            from = batch.get(batch.size() - 1).index() + 1;
        }
    }

    /**
     * 4 KiB random writes into a volume written whole before (so a larger page is read, patched and rewritten), with 4
     * and 16 KiB pages: page bytes encoded and bytes stored per byte written.
     */
    static void pageSizeWrites(long volumeBytes, int writes) throws IOException {
        System.out.printf("%d 4 KiB random writes into a written %d MiB volume of class files%n%n", writes,
                volumeBytes >> 20);
        System.out.println("| page | page bytes encoded per byte written | bytes stored per byte written"
                + " | compression ratio of the volume |");
        System.out.println("| --- | ---: | ---: | ---: |");
        byte[] data = DataKind.CLASS_FILES.bytes(PageCodecBenchmark.CORPUS);
        for (int pageSize : new int[] {4096, 16384}) {
            try (ScratchVolume scratch = ScratchVolume.create(volumeBytes, CacheSettings.DEFAULT_CHUNK_SIZE,
                    pageSize, CacheSettings.DEFAULT_HOT_TIER_BYTES)) {
                scratch.fill(data);
                CacheMetrics filled = scratch.cache().metrics();
                writeRandomly(scratch.volume(), data, writes, volumeBytes);
                CacheMetrics after = scratch.cache().metrics();
                double written = (double) writes * WRITE;
                System.out.printf("| %d KiB | %.2f | %.2f | %.2f |%n", pageSize >> 10,
                        (after.pageBytesWritten() - filled.pageBytesWritten()) / written,
                        (after.storedBytesWritten() - filled.storedBytesWritten()) / written,
                        filled.compressionRatio());
            }
        }
        System.out.println();
    }
}
