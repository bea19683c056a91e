package org.storagegateway.benchmarks.cache.store;

import java.io.IOException;
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
import org.storagegateway.benchmarks.cache.ScratchDirectory;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.store.CacheDatabase;
import org.storagegateway.cache.store.ChunkRecord;
import org.storagegateway.cache.store.CorruptCacheException;
import org.storagegateway.cache.store.PageCodec;

/**
 * {@link CacheDatabase} with RocksDB's own LZ4 off (as shipped) or on for the pages column family, whose values
 * {@link PageCodec} has already compressed (encoding is outside the timing; {@link PageCodecBenchmark} has its cost).
 * The setup writes {@link #preloadBytes} as whole chunks and compacts them, more than RocksDB's 64 MiB block cache
 * holds, so that most reads find their block outside it (decompressing it when compression is on). Then: a 4 KiB
 * write (its page and its chunk record in one batch, no sync) at a random page, a 1 MiB write (a chunk's 256 pages and
 * record) walking the preloaded range, and a 4 KiB read at a random page, decoded. Sustained writes keep flushes and
 * compactions running on the machine's other core, so their cost shows in the scores (ops/s).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CacheDatabaseBenchmark extends MicroBenchmark {
    @Param({"false", "true"})
    boolean compressPages;

    @Param({"CLASS_FILES", "RANDOM"})
    DataKind data;

    /** Bytes written before timing starts; tests shrink it. */
    long preloadBytes = 512L << 20;

    private ScratchDirectory directory;
    CacheDatabase database;
    private byte[][] pages;
    private ChunkRecord record;
    private final PageCodec codec = new PageCodec(PagesOnDisk.PAGE);
    private final byte[] decoded = new byte[PagesOnDisk.PAGE];
    private final SplittableRandom random = new SplittableRandom(42);
    private long chunk;
    private int nextPage;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = new ScratchDirectory("cache-database-bench");
        database = CacheDatabase.open(directory.path(), CacheSettings.DEFAULT_BLOCK_CACHE_BYTES, compressPages);
        pages = PagesOnDisk.encodePages(data.bytes(PageCodecBenchmark.CORPUS));
        record = PagesOnDisk.fullChunk();
        PagesOnDisk.writeChunks(database, pages, preloadBytes);
        database.compact();
        System.out.printf("%n# %d MiB of %s pages, RocksDB compression %s: %.1f MiB of table files%n",
                preloadBytes >> 20, data, compressPages ? "on" : "off",
                directory.tableBytes() / 1048576.0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        database.close();
        directory.close();
    }

    @Benchmark
    public void write4kPage() throws IOException {
        long page = randomPage();
        try (CacheDatabase.Batch batch = database.batch()) {
            batch.putPage(PagesOnDisk.VOLUME, page, pages[nextPage]);
            database.write(batch.putChunk(PagesOnDisk.VOLUME, page / PagesOnDisk.PAGES_PER_CHUNK, record), false);
        }
        nextPage = (nextPage + 1) % pages.length;
    }

    @Benchmark
    public void write1mChunk() throws IOException {
        PagesOnDisk.writeChunk(database, pages, chunk, record);
        chunk = (chunk + 1) % (preloadBytes / PagesOnDisk.PAGE / PagesOnDisk.PAGES_PER_CHUNK);
    }

    @Benchmark
    public byte[] read4kPage() throws IOException {
        byte[] value = database.page(PagesOnDisk.VOLUME, randomPage());
        if (value == null) {
            throw new CorruptCacheException("a preloaded page is missing");
        }
        codec.decode(value, decoded, 0);
        return decoded;
    }

    private long randomPage() {
        return random.nextLong(preloadBytes / PagesOnDisk.PAGE);
    }
}
