package org.storagegateway.benchmarks.cache.store;

import java.io.IOException;
import org.storagegateway.benchmarks.cache.ScratchDirectory;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.store.CacheDatabase;
import org.storagegateway.cache.store.ChunkRecord;
import org.storagegateway.cache.store.PageCodec;

/**
 * What pages take on disk with RocksDB's own LZ4 off (as shipped) and on for the pages column family: for every
 * {@link DataKind}, {@link #DEFAULT_BYTES} written as 1 MiB chunks of {@link PageCodec}-encoded 4 KiB pages (one
 * batch per chunk, as sequential writes are), then compacted, then the table files summed. Deterministic, so one run is
 * enough: {@code java -cp benchmarks/target/bench.jar org.storagegateway.benchmarks.cache.store.PagesOnDisk}.
 */
public final class PagesOnDisk {
    /** Volume id of the pages written. */
    static final int VOLUME = 1;
    static final int PAGE = 4096;
    static final int PAGES_PER_CHUNK = 256;
    static final long DEFAULT_BYTES = 256L << 20;

    private PagesOnDisk() {
    }

    /** Every {@link #PAGE} of {@code data} encoded as the cache stores it. */
    static byte[][] encodePages(byte[] data) {
        PageCodec codec = new PageCodec(PAGE);
        byte[][] pages = new byte[data.length / PAGE][];
        for (int page = 0; page < pages.length; page++) {
            pages[page] = codec.encode(data, page * PAGE);
        }
        return pages;
    }

    /** A dirty chunk record with every page stored, as a chunk written whole has. */
    static ChunkRecord fullChunk() {
        ChunkRecord record = ChunkRecord.empty(PAGES_PER_CHUNK, true);
        for (int page = 0; page < PAGES_PER_CHUNK; page++) {
            record.setPage(page, true);
        }
        record.markDirty(1);
        return record;
    }

    /** Writes chunk {@code chunk} whole, taking its pages from {@code pages} in turn; one batch, no sync. */
    static void writeChunk(CacheDatabase database, byte[][] pages, long chunk, ChunkRecord record)
            throws IOException {
        try (CacheDatabase.Batch batch = database.batch()) {
            long first = chunk * PAGES_PER_CHUNK;
            for (int i = 0; i < PAGES_PER_CHUNK; i++) {
                batch.putPage(VOLUME, first + i, pages[(int) ((first + i) % pages.length)]);
            }
            database.write(batch.putChunk(VOLUME, chunk, record), false);
        }
    }

    /** Writes {@code bytes} of whole chunks from the start of the volume. */
    static void writeChunks(CacheDatabase database, byte[][] pages, long bytes) throws IOException {
        ChunkRecord record = fullChunk();
        for (long chunk = 0; chunk < bytes / ((long) PAGE * PAGES_PER_CHUNK); chunk++) {
            writeChunk(database, pages, chunk, record);
        }
    }

    /** Table bytes after writing {@code bytes} of {@code kind} and compacting, with RocksDB compression as given. */
    static long footprint(DataKind kind, long bytes, boolean compressPages) throws IOException {
        try (ScratchDirectory directory = new ScratchDirectory("pages-on-disk")) {
            try (CacheDatabase database = CacheDatabase.open(directory.path(),
                    CacheSettings.DEFAULT_BLOCK_CACHE_BYTES, compressPages)) {
                writeChunks(database, encodePages(kind.bytes(PageCodecBenchmark.CORPUS)), bytes);
                database.compact();
            }
            return directory.tableBytes();
        }
    }

    /** Prints, per kind, the table bytes with RocksDB compression off and on, as a Markdown table. */
    public static void main(String[] args) throws IOException {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) << 20 : DEFAULT_BYTES;
        System.out.printf("%d MiB of 4 KiB pages per kind, compacted%n%n", bytes >> 20);
        System.out.println("| data | page values (PageCodec) | on disk, RocksDB LZ4 off | on disk, RocksDB LZ4 on"
                + " | on/off |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (DataKind kind : DataKind.values()) {
            long values = 0;
            byte[][] pages = encodePages(kind.bytes(PageCodecBenchmark.CORPUS));
            for (long page = 0; page < bytes / PAGE; page++) {
                values += pages[(int) (page % pages.length)].length;
            }
            long off = footprint(kind, bytes, false);
            long on = footprint(kind, bytes, true);
            System.out.printf("| %s | %.1f MiB | %.1f MiB | %.1f MiB | %.3f |%n", kind, values / 1048576.0,
                    off / 1048576.0, on / 1048576.0, (double) on / off);
        }
    }
}
