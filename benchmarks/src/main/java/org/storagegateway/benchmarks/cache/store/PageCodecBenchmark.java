package org.storagegateway.benchmarks.cache.store;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.storagegateway.benchmarks.MicroBenchmark;
import org.storagegateway.cache.store.CorruptCacheException;
import org.storagegateway.cache.store.PageCodec;

/**
 * Pages through {@link PageCodec}, as every cache write encodes them and every read that misses the hot tier decodes
 * them, for each {@link DataKind} and page size. One operation is {@link #SPAN} (1 MiB) of pages, so the score in
 * ops/s is MiB/s of uncompressed data; successive operations take the next MiB of a {@link #CORPUS}-byte corpus, so
 * the pages are not all in the CPU's caches. The setup prints the corpus's compression ratio in these pages.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PageCodecBenchmark extends MicroBenchmark {
    /** Uncompressed bytes per operation. */
    public static final int SPAN = 1 << 20;
    /** Bytes of data the operations walk through. */
    public static final int CORPUS = 16 << 20;

    @Param({"MOSTLY_ZEROS", "LOG_TEXT", "CLASS_FILES", "RANDOM"})
    DataKind data;

    @Param({"4096", "16384", "65536"})
    int pageSize;

    private byte[] corpus;
    private byte[][] stored;
    private PageCodec codec;
    private final byte[] decoded = new byte[SPAN];
    private int span;

    @Setup(Level.Trial)
    public void setUp() {
        corpus = data.bytes(CORPUS);
        codec = new PageCodec(pageSize);
        stored = new byte[CORPUS / pageSize][];
        for (int page = 0; page < stored.length; page++) {
            stored[page] = codec.encode(corpus, page * pageSize);
        }
        System.out.printf("%n# %s in %d-byte pages: compression ratio %.2f%n", data, pageSize,
                CompressionRatios.pages(corpus, pageSize));
    }

    /** Encodes the next MiB page by page; returns the bytes stored. */
    @Benchmark
    public long encode() {
        int first = nextSpan();
        long storedBytes = 0;
        for (int offset = first; offset < first + SPAN; offset += pageSize) {
            storedBytes += codec.encode(corpus, offset).length;
        }
        return storedBytes;
    }

    /** Decodes the next MiB's stored pages into one buffer; returns it. */
    @Benchmark
    public byte[] decode() throws CorruptCacheException {
        int firstPage = nextSpan() / pageSize;
        for (int i = 0; i < SPAN / pageSize; i++) {
            codec.decode(stored[firstPage + i], decoded, i * pageSize);
        }
        return decoded;
    }

    /** The offset of the next MiB of the corpus, from its start and wrapping around. */
    private int nextSpan() {
        int offset = span * SPAN;
        span = (span + 1) % (CORPUS / SPAN);
        return offset;
    }
}
