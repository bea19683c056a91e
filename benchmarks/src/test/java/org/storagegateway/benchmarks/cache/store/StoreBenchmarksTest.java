package org.storagegateway.benchmarks.cache.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.storagegateway.cache.store.CorruptCacheException;

/** The storage benchmarks time what they claim: pages and chunks that round-trip, reads that find their pages. */
class StoreBenchmarksTest {

    @ParameterizedTest
    @CsvSource({"MOSTLY_ZEROS, 4096", "LOG_TEXT, 16384", "CLASS_FILES, 65536", "RANDOM, 4096"})
    void theCodecBenchmarkEncodesAndDecodesEveryPageOfAMebibyte(DataKind data, int pageSize)
            throws CorruptCacheException {
        PageCodecBenchmark benchmark = new PageCodecBenchmark();
        benchmark.data = data;
        benchmark.pageSize = pageSize;
        benchmark.setUp();
        byte[] corpus = data.bytes(PageCodecBenchmark.CORPUS);
        assertArrayEquals(Arrays.copyOf(corpus, PageCodecBenchmark.SPAN), benchmark.decode(), "the first MiB");
        assertArrayEquals(Arrays.copyOfRange(corpus, PageCodecBenchmark.SPAN, 2 * PageCodecBenchmark.SPAN),
                benchmark.decode(), "the second MiB");
        long stored = benchmark.encode();
        int pages = PageCodecBenchmark.SPAN / pageSize;
        if (data == DataKind.RANDOM) {
            assertEquals(PageCodecBenchmark.SPAN + pages, stored, "incompressible pages are stored raw");
        } else {
            assertTrue(stored < PageCodecBenchmark.SPAN, "compressible pages shrink: " + stored);
        }
    }

    @ParameterizedTest
    @EnumSource(DataKind.class)
    void theChunkBenchmarkCompressesAndRestoresWholeChunks(DataKind data) {
        ChunkLz4Benchmark benchmark = new ChunkLz4Benchmark();
        benchmark.data = data;
        benchmark.setUp();
        int compressed = benchmark.compress();
        boolean shrinks = compressed < ChunkLz4Benchmark.CHUNK;
        assertEquals(data != DataKind.RANDOM, shrinks, data + " compressed to " + compressed);
        assertEquals(ChunkLz4Benchmark.CHUNK, benchmark.decompress());
        assertEquals(ChunkLz4Benchmark.CHUNK, benchmark.decompress());
    }

    @ParameterizedTest
    @CsvSource({"false, CLASS_FILES", "true, RANDOM"})
    void theDatabaseBenchmarkWritesAndReadsPagesThatDecode(boolean compressPages, DataKind data) throws IOException {
        CacheDatabaseBenchmark benchmark = new CacheDatabaseBenchmark();
        benchmark.compressPages = compressPages;
        benchmark.data = data;
        benchmark.preloadBytes = 4L << 20;
        benchmark.setUp();
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(PagesOnDisk.PAGE, benchmark.read4kPage().length);
                benchmark.write4kPage();
                benchmark.write1mChunk();
            }
            assertEquals(PagesOnDisk.PAGE, benchmark.read4kPage().length, "a page read after writes");
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void ratiosRankTheKindsFromMostToLeastCompressible() {
        double previous = Double.MAX_VALUE;
        for (DataKind kind : DataKind.values()) {
            double ratio = CompressionRatios.pages(kind.bytes(1 << 20), 4096);
            assertTrue(ratio < previous, kind + " compresses less than the kind before it");
            previous = ratio;
        }
        assertTrue(CompressionRatios.chunks(DataKind.LOG_TEXT.bytes(1 << 20), 1 << 20)
                > CompressionRatios.pages(DataKind.LOG_TEXT.bytes(1 << 20), 4096), "a whole chunk compresses better");
    }

    @Test
    void rocksDbCompressionShrinksRepetitivePagesAndNeverGrowsRandomOnes() throws IOException {
        long bytes = 4L << 20;
        assertTrue(PagesOnDisk.footprint(DataKind.MOSTLY_ZEROS, bytes, true)
                < PagesOnDisk.footprint(DataKind.MOSTLY_ZEROS, bytes, false));
        long randomOff = PagesOnDisk.footprint(DataKind.RANDOM, bytes, false);
        assertTrue(randomOff >= bytes, "random pages are stored whole: " + randomOff);
        assertTrue(PagesOnDisk.footprint(DataKind.RANDOM, bytes, true) <= randomOff * 101 / 100);
    }
}
