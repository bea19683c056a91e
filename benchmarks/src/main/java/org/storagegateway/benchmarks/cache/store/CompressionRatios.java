package org.storagegateway.benchmarks.cache.store;

import java.util.List;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.storagegateway.cache.store.PageCodec;

/**
 * Compression ratios, uncompressed bytes per byte stored, of every {@link DataKind} in {@link PageCodec} pages of 4,
 * 16 and 64 KiB and in whole 1 MiB LZ4 chunks. Deterministic, so one run is enough:
 * {@code java -cp benchmarks/target/bench.jar org.storagegateway.benchmarks.cache.store.CompressionRatios}.
 */
public final class CompressionRatios {
    private static final LZ4Compressor CHUNK_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final List<Integer> PAGE_SIZES = List.of(4096, 16384, 65536);

    private CompressionRatios() {
    }

    /** The ratio of {@code data} cut into pages of {@code pageSize} and encoded as the cache stores them. */
    public static double pages(byte[] data, int pageSize) {
        PageCodec codec = new PageCodec(pageSize);
        long stored = 0;
        for (int offset = 0; offset + pageSize <= data.length; offset += pageSize) {
            stored += codec.encode(data, offset).length;
        }
        return (double) (data.length / pageSize * pageSize) / stored;
    }

    /** The ratio of {@code data} cut into chunks of {@code chunkSize}, each compressed by LZ4 as a whole. */
    public static double chunks(byte[] data, int chunkSize) {
        byte[] out = new byte[CHUNK_COMPRESSOR.maxCompressedLength(chunkSize)];
        long stored = 0;
        for (int offset = 0; offset + chunkSize <= data.length; offset += chunkSize) {
            stored += CHUNK_COMPRESSOR.compress(data, offset, chunkSize, out, 0, out.length);
        }
        return (double) (data.length / chunkSize * chunkSize) / stored;
    }

    /** Prints the ratios over {@link PageCodecBenchmark#CORPUS} bytes of each kind as a Markdown table. */
    public static void main(String[] args) {
        System.out.println("| data | 4 KiB pages | 16 KiB pages | 64 KiB pages | 1 MiB LZ4 chunks |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (DataKind kind : DataKind.values()) {
            byte[] data = kind.bytes(PageCodecBenchmark.CORPUS);
            StringBuilder row = new StringBuilder("| " + kind + " |");
            for (int pageSize : PAGE_SIZES) {
                row.append(String.format(" %.2f |", pages(data, pageSize)));
            }
            System.out.println(row.append(String.format(" %.2f |", chunks(data, ChunkLz4Benchmark.CHUNK))));
        }
    }
}
