package org.storagegateway.benchmarks.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.storagegateway.benchmarks.MicroBenchmark;
import org.storagegateway.benchmarks.cache.store.DataKind;
import org.storagegateway.benchmarks.cache.store.PageCodecBenchmark;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;

/**
 * Reads and writes of a stored volume through {@link CachedVolume}: pages encoded, one batch per write committed to
 * RocksDB's write-ahead log without a sync (no FUA, like most initiator writes), the chunk record rewritten, the hot
 * tier consulted. The volume is first written whole with {@link DataKind#CLASS_FILES} and the cache reopened, so
 * reads come from RocksDB's table files. 4 KiB operations go to random page-aligned offsets, the reads among the
 * first {@link #hotBytes}, which the setup reads once: with the hot tier on every read then hits it, with it off
 * every read goes to RocksDB (its block cache, else the OS's page cache). 1 MiB operations walk the volume in order.
 * Scores are ops/s; times 4096 or 1,048,576 they are bytes/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlockCacheBenchmark extends MicroBenchmark {
    public static final int SMALL = 4096;
    public static final int LARGE = 1 << 20;

    /** The hot tier at its default size, or none. */
    @Param({"true", "false"})
    boolean hotTier;

    /** The default; the chunk size study also runs 262144 and 4194304 ({@code -p chunkSize=...}). */
    @Param({"1048576"})
    int chunkSize;

    /** The default; the page size study also runs 16384. */
    @Param({"4096"})
    int pageSize;

    /** The volume; tests shrink it. */
    long volumeBytes = 256L << 20;
    /** The part 4 KiB reads go to: half the hot tier's default size, so it fits in it whole. */
    long hotBytes = 64L << 20;

    ScratchVolume scratch;
    private CachedVolume volume;
    private byte[] data;
    private final ByteBuffer smallRead = ByteBuffer.allocate(SMALL);
    private final ByteBuffer largeRead = ByteBuffer.allocate(LARGE);
    private final SplittableRandom random = new SplittableRandom(42);
    private long sequentialOffset;
    private int dataOffset;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = DataKind.CLASS_FILES.bytes(PageCodecBenchmark.CORPUS);
        scratch = ScratchVolume.create(volumeBytes, chunkSize, pageSize,
                hotTier ? CacheSettings.DEFAULT_HOT_TIER_BYTES : 0);
        scratch.fill(data);
        scratch.reopen();
        volume = scratch.volume();
        for (long offset = 0; offset < hotBytes; offset += SMALL) {
            volume.read(offset, smallRead.clear());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        scratch.close();
    }

    @Benchmark
    public void write4kRandom() throws IOException {
        volume.write(randomOffset(volumeBytes), nextData(SMALL), false);
    }

    @Benchmark
    public ByteBuffer read4kRandom() throws IOException {
        volume.read(randomOffset(hotBytes), smallRead.clear());
        return smallRead;
    }

    @Benchmark
    public void write1mSequential() throws IOException {
        volume.write(nextSequentialOffset(), nextData(LARGE), false);
    }

    @Benchmark
    public ByteBuffer read1mSequential() throws IOException {
        volume.read(nextSequentialOffset(), largeRead.clear());
        return largeRead;
    }

    private long randomOffset(long range) {
        return random.nextLong(range / SMALL) * SMALL;
    }

    /** The volume in 1 MiB steps from its start, wrapping around. */
    private long nextSequentialOffset() {
        long offset = sequentialOffset;
        sequentialOffset = (offset + LARGE) % volumeBytes;
        return offset;
    }

    /** The next {@code length} bytes of the data to write, wrapping around. */
    private ByteBuffer nextData(int length) {
        if (dataOffset + length > data.length) {
            dataOffset = 0;
        }
        ByteBuffer next = ByteBuffer.wrap(data, dataOffset, length);
        dataOffset += length;
        return next;
    }
}
