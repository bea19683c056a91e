package org.storagegateway.benchmarks.cache.store;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.storagegateway.benchmarks.MicroBenchmark;

/**
 * Whole 1 MiB chunks through LZ4 directly (the compressor and safe decompressor {@code PageCodec} uses), the way an
 * uploader could compress a chunk before it goes to the object store: the ceiling for pages, which restart the LZ4
 * dictionary at every page boundary. One operation is one chunk, so ops/s is MiB/s; the setup prints the ratio.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkLz4Benchmark extends MicroBenchmark {
    /** Bytes per chunk and per operation. */
    public static final int CHUNK = 1 << 20;

    @Param({"MOSTLY_ZEROS", "LOG_TEXT", "CLASS_FILES", "RANDOM"})
    DataKind data;

    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    private final LZ4Compressor compressor = FACTORY.fastCompressor();
    private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();
    private byte[] corpus;
    private byte[][] compressed;
    private final byte[] out = new byte[compressor.maxCompressedLength(CHUNK)];
    private final byte[] decompressed = new byte[CHUNK];
    private int chunk;

    @Setup(Level.Trial)
    public void setUp() {
        corpus = data.bytes(PageCodecBenchmark.CORPUS);
        compressed = new byte[PageCodecBenchmark.CORPUS / CHUNK][];
        for (int i = 0; i < compressed.length; i++) {
            compressed[i] = compressor.compress(Arrays.copyOfRange(corpus, i * CHUNK, (i + 1) * CHUNK));
        }
        System.out.printf("%n# %s in 1 MiB LZ4 chunks (%s): compression ratio %.2f%n", data, FACTORY,
                CompressionRatios.chunks(corpus, CHUNK));
    }

    /** Compresses the next chunk; returns its compressed length. */
    @Benchmark
    public int compress() {
        return compressor.compress(corpus, nextChunk() * CHUNK, CHUNK, out, 0, out.length);
    }

    /** Decompresses the next chunk; returns the bytes it yields. */
    @Benchmark
    public int decompress() {
        byte[] source = compressed[nextChunk()];
        return decompressor.decompress(source, 0, source.length, decompressed, 0, CHUNK);
    }

    /** The next chunk of the corpus, from its start and wrapping around. */
    private int nextChunk() {
        int next = chunk;
        chunk = (chunk + 1) % compressed.length;
        return next;
    }
}
