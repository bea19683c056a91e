package org.storagegateway.benchmarks.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.storagegateway.benchmarks.cache.store.DataKind;
import org.storagegateway.benchmarks.cache.store.PageCodecBenchmark;
import org.storagegateway.cache.CacheMetrics;

/**
 * The block cache benchmark measures the path it names: reads return the data written, from the hot tier when it is
 * on and from RocksDB when it is off, and writes store the pages they cover.
 */
class BlockCacheBenchmarkTest {

    @ParameterizedTest
    @CsvSource({"true, 1048576, 4096", "false, 1048576, 4096", "true, 262144, 16384", "false, 4194304, 4096"})
    void everyOperationMovesWhatItShould(boolean hotTier, int chunkSize, int pageSize) throws IOException {
        BlockCacheBenchmark benchmark = new BlockCacheBenchmark();
        benchmark.hotTier = hotTier;
        benchmark.chunkSize = chunkSize;
        benchmark.pageSize = pageSize;
        benchmark.volumeBytes = 8L << 20;
        benchmark.hotBytes = 2L << 20;
        benchmark.setUp();
        try {
            byte[] data = DataKind.CLASS_FILES.bytes(PageCodecBenchmark.CORPUS);
            int large = BlockCacheBenchmark.LARGE;
            assertArrayEquals(Arrays.copyOf(data, large), bytes(benchmark.read1mSequential()));
            assertArrayEquals(Arrays.copyOfRange(data, large, 2 * large), bytes(benchmark.read1mSequential()));

            CacheMetrics before = metrics(benchmark);
            assertEquals(BlockCacheBenchmark.SMALL, benchmark.read4kRandom().position());
            CacheMetrics after = metrics(benchmark);
            assertEquals(hotTier ? 1 : 0, after.hotTierHits() - before.hotTierHits(), "hot tier hits");
            assertEquals(hotTier ? 0 : 1, after.hotTierMisses() - before.hotTierMisses(), "reads from RocksDB");

            benchmark.write4kRandom();
            CacheMetrics written = metrics(benchmark);
            assertEquals(pageSize, written.pageBytesWritten() - after.pageBytesWritten(), "one page rewritten");
            benchmark.write1mSequential();
            assertEquals(large, metrics(benchmark).pageBytesWritten() - written.pageBytesWritten());
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void theLayoutStudyRunsToTheEnd() throws IOException {
        LayoutStudy.main(new String[] {"64", "16"});
    }

    private static CacheMetrics metrics(BlockCacheBenchmark benchmark) {
        return benchmark.scratch.cache().metrics();
    }

    private static byte[] bytes(ByteBuffer read) {
        return Arrays.copyOf(read.array(), read.position());
    }
}
