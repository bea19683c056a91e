package org.storagegateway.cache.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.MutableColumnFamilyOptions;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteOptions;

/**
 * The cache's RocksDB: column families for pages, chunk records, dirty marks, volumes, remote references (where each
 * chunk's latest uploaded content is), frozen chunks (content a snapshot still needs) and uploads under way (content
 * that may have reached the object store without its reference being recorded yet), written together in
 * {@link Batch}es so that a page and the record that accounts for it are never apart, even after SIGKILL (a batch is
 * one write-ahead-log record).
 *
 * <p>Page values arrive LZ4-compressed by {@link PageCodec}, so RocksDB compresses nothing: its own pass over them
 * cost 1.2-1.9 times the CPU per operation and 13-37 % of throughput for 0-14 % less disk on real data
 * (benchmarks/results/CACHE-DESIGN.md); only mostly-zero pages shrink much more, and those are rare on disk.
 */
public final class CacheDatabase implements AutoCloseable {
    private static final int STREAM_PAGES = 15;
    private static final byte[] NEXT_VOLUME_ID = "next-volume-id".getBytes(StandardCharsets.UTF_8);

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions options;
    private final List<ColumnFamilyOptions> familyOptions;
    private final LRUCache blockCache;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle volumes;
    private final ColumnFamilyHandle pages;
    private final ColumnFamilyHandle chunks;
    private final ColumnFamilyHandle dirty;
    private final ColumnFamilyHandle remote;
    private final ColumnFamilyHandle frozen;
    private final ColumnFamilyHandle uploading;
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions asynchronous = new WriteOptions();
    private final WriteOptions synchronous = new WriteOptions().setSync(true);
    private final ReadOptions reads = new ReadOptions();
    /**
     * Multi-page reads (streams) leave RocksDB's block cache alone: a volume streamed through it would only evict
     * the blocks that small random reads come back to.
     */
    private final ReadOptions streams = new ReadOptions().setFillCache(false);

    private CacheDatabase(RocksDB db, DBOptions options, List<ColumnFamilyOptions> familyOptions,
                          LRUCache blockCache, List<ColumnFamilyHandle> handles) {
        this.db = db;
        this.options = options;
        this.familyOptions = familyOptions;
        this.blockCache = blockCache;
        this.handles = handles;
        this.meta = handles.get(0);
        this.volumes = handles.get(1);
        this.pages = handles.get(2);
        this.chunks = handles.get(3);
        this.dirty = handles.get(4);
        this.remote = handles.get(5);
        this.frozen = handles.get(6);
        this.uploading = handles.get(7);
    }

    /** Opens (creating if needed) the database in {@code directory}. */
    public static CacheDatabase open(Path directory, long blockCacheBytes, boolean compressPages) throws IOException {
        Files.createDirectories(directory);
        LRUCache blockCache = new LRUCache(Math.max(blockCacheBytes, 1 << 20));
        DBOptions options = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                // One batch spans column families; flush them together so no family's files run ahead of another's.
                .setAtomicFlush(true)
                .setMaxBackgroundJobs(2)
                .setMaxTotalWalSize(256L << 20)
                .setBytesPerSync(1 << 20)
                // RocksDB's own bookkeeping files grow without bound by default (the info log, and the manifest,
                // which records every flush and compaction); a cache counts them against its disk.
                .setMaxLogFileSize(1 << 20)
                .setKeepLogFileNum(2)
                .setMaxManifestFileSize(4 << 20);
        List<ColumnFamilyOptions> familyOptions = new ArrayList<>();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        String[] names = {"default", "volumes", "pages", "chunks", "dirty", "remote", "frozen", "uploading"};
        for (String name : names) {
            boolean isPages = name.equals("pages");
            ColumnFamilyOptions family = new ColumnFamilyOptions()
                    .setCompressionType(isPages && compressPages ? CompressionType.LZ4_COMPRESSION
                            : CompressionType.NO_COMPRESSION)
                    .setWriteBufferSize(isPages ? 64L << 20 : 8L << 20)
                    .setMaxWriteBufferNumber(isPages ? 3 : 2)
                    .setLevelCompactionDynamicLevelBytes(true)
                    .setTableFormatConfig(new BlockBasedTableConfig()
                            .setBlockCache(blockCache)
                            .setBlockSize(isPages ? 16 << 10 : 4 << 10)
                            .setCacheIndexAndFilterBlocks(true)
                            .setPinL0FilterAndIndexBlocksInCache(true));
            familyOptions.add(family);
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), family));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(options, directory.toString(), descriptors, handles);
            return new CacheDatabase(db, options, familyOptions, blockCache, handles);
        } catch (RocksDBException e) {
            familyOptions.forEach(ColumnFamilyOptions::close);
            options.close();
            blockCache.close();
            throw new IOException("cannot open the cache database in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sizes what RocksDB keeps beside the data (memtables, their write-ahead log, the files a compaction rewrites at
     * once) from the bytes the cache may hold: the cached volumes' capacity plus the stored volumes' sizes. Fixed
     * sizes fit one end only: 64 MiB memtables and a 256 MiB log let a 64 MiB cache reach five times its capacity on
     * disk, while sizes scaled to that cache cut a large stored volume's write throughput by seven (issue 4's
     * measurements). These options change on a running database.
     */
    public void sizeFor(long dataBytes) throws IOException {
        long writeBuffer = clamp(dataBytes / 64, 1L << 20, 64L << 20);
        try {
            db.setOptions(pages, MutableColumnFamilyOptions.builder()
                    .setWriteBufferSize(writeBuffer)
                    .setTargetFileSizeBase(clamp(dataBytes / 16, 2L << 20, 64L << 20))
                    .setMaxBytesForLevelBase(clamp(dataBytes / 4, 8L << 20, 256L << 20))
                    .build());
            db.setDBOptions(MutableDBOptions.builder()
                    .setMaxTotalWalSize(clamp(dataBytes / 8, 8L << 20, 256L << 20))
                    .build());
        } catch (RocksDBException e) {
            throw new IOException("cannot size the cache database: " + e.getMessage(), e);
        }
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    /** A new batch; nothing reaches the database until {@link #write}. */
    public Batch batch() {
        return new Batch(this);
    }

    /** Commits a batch atomically; with {@code sync}, the write-ahead log is on disk before this returns. */
    public void write(Batch batch, boolean sync) throws IOException {
        try {
            db.write(sync ? synchronous : asynchronous, batch.writes);
        } catch (RocksDBException e) {
            throw new IOException("cache write failed: " + e.getMessage(), e);
        }
    }

    /** Makes every committed batch durable (SYNCHRONIZE CACHE). */
    public void syncWal() throws IOException {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new IOException("cannot sync the cache's write-ahead log: " + e.getMessage(), e);
        }
    }

    public byte[] page(int volume, long page) throws IOException {
        return get(pages, Keys.of(volume, page));
    }

    /** Several pages at once, in the order asked; a missing page is null. */
    public List<byte[]> pages(int volume, long[] pageIndexes, int count) throws IOException {
        if (count > STREAM_PAGES && ascending(pageIndexes, count)) {
            return scanPages(volume, pageIndexes, count);
        }
        // 64 KiB and more of 4 KiB pages: a stream rather than a small read.
        List<ColumnFamilyHandle> families = new ArrayList<>(count);
        List<byte[]> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            families.add(pages);
            keys.add(Keys.of(volume, pageIndexes[i]));
        }
        try {
            return db.multiGetAsList(count > STREAM_PAGES ? streams : reads, families, keys);
        } catch (RocksDBException e) {
            throw new IOException("cache read failed: " + e.getMessage(), e);
        }
    }

    private static boolean ascending(long[] indexes, int count) {
        for (int i = 1; i < count; i++) {
            if (indexes[i] <= indexes[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A stream's pages by one pass of an iterator over their key range: pages of a chunk are adjacent keys, and a
     * scan reads each data block once where a multi-get looks every key up on its own.
     */
    private List<byte[]> scanPages(int volume, long[] pageIndexes, int count) throws IOException {
        byte[][] values = new byte[count][];
        long last = pageIndexes[count - 1];
        try (RocksIterator iterator = db.newIterator(pages, streams)) {
            int next = 0;
            for (iterator.seek(Keys.of(volume, pageIndexes[0])); iterator.isValid() && next < count;
                 iterator.next()) {
                byte[] key = iterator.key();
                long index = Keys.index(key);
                if (Keys.volume(key) != volume || index > last) {
                    break;
                }
                while (pageIndexes[next] < index) {
                    next++;
                }
                if (pageIndexes[next] == index) {
                    values[next++] = iterator.value();
                }
            }
            iterator.status();
        } catch (RocksDBException e) {
            throw new IOException("cache read failed: " + e.getMessage(), e);
        }
        return Arrays.asList(values);
    }

    public byte[] chunk(int volume, long chunk) throws IOException {
        return get(chunks, Keys.of(volume, chunk));
    }

    public byte[] volume(String name) throws IOException {
        return get(volumes, name.getBytes(StandardCharsets.UTF_8));
    }

    /** Allocates a volume id that no volume of this database had before. */
    public int allocateVolumeId() throws IOException {
        byte[] last = get(meta, NEXT_VOLUME_ID);
        int next = last == null ? 1 : ByteBuffer.wrap(last).getInt();
        if (next >= 1 << 23) {
            throw new IOException("volume ids exhausted");
        }
        put(meta, NEXT_VOLUME_ID, ByteBuffer.allocate(4).putInt(next + 1).array());
        return next;
    }

    /** Every volume record, by name. */
    public void forEachVolume(BiConsumer<String, byte[]> action) {
        forEach(volumes, (key, value) -> action.accept(new String(key, StandardCharsets.UTF_8), value));
    }

    /** Every chunk record of every volume, in key order. */
    public void forEachChunk(BiConsumer<byte[], byte[]> action) {
        forEach(chunks, action);
    }

    /** Up to {@code max} dirty chunk indexes of a volume from {@code fromChunk} on, with their generations. */
    public void dirtyChunks(int volume, long fromChunk, int max, BiConsumer<Long, Long> action) {
        scan(dirty, volume, fromChunk, max,
                (key, value) -> action.accept(Keys.index(key), ByteBuffer.wrap(value).getLong()));
    }

    /** The index of the first chunk of {@code volume} at or after {@code fromChunk} that has a record, or -1. */
    public long nextChunk(int volume, long fromChunk) {
        try (RocksIterator iterator = db.newIterator(chunks, reads)) {
            iterator.seek(Keys.of(volume, fromChunk));
            if (!iterator.isValid()) {
                return -1;
            }
            byte[] key = iterator.key();
            return Keys.volume(key) == volume ? Keys.index(key) : -1;
        }
    }

    /** The remote reference of a chunk, or null. */
    public byte[] remoteRef(int volume, long chunk) throws IOException {
        return get(remote, Keys.of(volume, chunk));
    }

    /** Up to {@code max} remote references of a volume from {@code fromChunk} on, in chunk order. */
    public void remoteRefs(int volume, long fromChunk, int max, BiConsumer<Long, byte[]> action) {
        scan(remote, volume, fromChunk, max, (key, value) -> action.accept(Keys.index(key), value));
    }

    /** The reference an upload of the chunk began with and has not recorded yet, or null. */
    public byte[] uploadingRef(int volume, long chunk) throws IOException {
        return get(uploading, Keys.of(volume, chunk));
    }

    /**
     * Notes that the chunk's content {@code ref} is about to be uploaded, without syncing: a process crash keeps the
     * note (the log is in the operating system's hands), and a note lost to power loss costs one upload again.
     */
    public void noteUploading(int volume, long chunk, byte[] ref) throws IOException {
        try {
            db.put(uploading, asynchronous, Keys.of(volume, chunk), ref);
        } catch (RocksDBException e) {
            throw new IOException("cache write failed: " + e.getMessage(), e);
        }
    }

    /** A frozen chunk's value, or null. */
    public byte[] frozen(int volume, long chunk, long generation) throws IOException {
        return get(frozen, Keys.frozen(volume, chunk, generation));
    }

    /** Up to {@code max} frozen chunks of a volume from {@code fromChunk} on, by chunk then generation. */
    public void frozenChunks(int volume, long fromChunk, int max, FrozenVisitor action) {
        scan(frozen, volume, fromChunk, max,
                (key, value) -> action.accept(Keys.index(key), Keys.generation(key), value));
    }

    /** Every frozen chunk of every volume, in key order. */
    public void forEachFrozen(BiConsumer<byte[], byte[]> action) {
        forEach(frozen, action);
    }

    /** A frozen chunk as {@link #frozenChunks} lists it. */
    @FunctionalInterface
    public interface FrozenVisitor {
        void accept(long chunk, long generation, byte[] value);
    }

    private void scan(ColumnFamilyHandle family, int volume, long fromChunk, int max,
                      BiConsumer<byte[], byte[]> action) {
        try (RocksIterator iterator = db.newIterator(family, reads)) {
            int seen = 0;
            for (iterator.seek(Keys.of(volume, fromChunk)); iterator.isValid() && seen < max; iterator.next()) {
                byte[] key = iterator.key();
                if (Keys.volume(key) != volume) {
                    break;
                }
                action.accept(key, iterator.value());
                seen++;
            }
        }
    }

    /** Iterators over every column family as of one moment, for {@link CacheChecker}; close it after use. */
    View view() {
        return new View();
    }

    /**
     * One snapshot of the database: a check that reads records, pages and dirty marks through it never sees half of
     * a batch, even while volumes are written.
     */
    final class View implements AutoCloseable {
        private final Snapshot snapshot = db.getSnapshot();
        private final ReadOptions options = new ReadOptions().setSnapshot(snapshot);

        RocksIterator volumes() {
            return db.newIterator(volumes, options);
        }

        RocksIterator chunks() {
            return db.newIterator(chunks, options);
        }

        RocksIterator pages() {
            return db.newIterator(pages, options);
        }

        RocksIterator dirty() {
            return db.newIterator(dirty, options);
        }

        RocksIterator remote() {
            return db.newIterator(remote, options);
        }

        RocksIterator frozen() {
            return db.newIterator(frozen, options);
        }

        RocksIterator uploading() {
            return db.newIterator(uploading, options);
        }

        /** The id {@link #allocateVolumeId} hands out next (1 when none was handed out). */
        int nextVolumeId() throws IOException {
            try {
                byte[] next = db.get(meta, options, NEXT_VOLUME_ID);
                return next == null ? 1 : ByteBuffer.wrap(next).getInt();
            } catch (RocksDBException e) {
                throw new IOException("cache read failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            options.close();
            db.releaseSnapshot(snapshot);
        }
    }

    private void forEach(ColumnFamilyHandle family, BiConsumer<byte[], byte[]> action) {
        try (RocksIterator iterator = db.newIterator(family, reads)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                action.accept(iterator.key(), iterator.value());
            }
        }
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) throws IOException {
        try {
            return db.get(family, reads, key);
        } catch (RocksDBException e) {
            throw new IOException("cache read failed: " + e.getMessage(), e);
        }
    }

    private void put(ColumnFamilyHandle family, byte[] key, byte[] value) throws IOException {
        try {
            db.put(family, synchronous, key, value);
        } catch (RocksDBException e) {
            throw new IOException("cache write failed: " + e.getMessage(), e);
        }
    }

    /** RocksDB's estimate of its live files' size, for metrics and tests. */
    public long diskBytes() {
        try {
            long total = 0;
            for (ColumnFamilyHandle handle : handles) {
                total += db.getLongProperty(handle, "rocksdb.total-sst-files-size");
                total += db.getLongProperty(handle, "rocksdb.cur-size-all-mem-tables");
            }
            return total;
        } catch (RocksDBException e) {
            return -1;
        }
    }

    /** Whether RocksDB has no flush or compaction running or pending, in any column family. */
    public boolean backgroundIdle() {
        try {
            for (ColumnFamilyHandle handle : handles) {
                if (db.getLongProperty(handle, "rocksdb.mem-table-flush-pending") != 0
                        || db.getLongProperty(handle, "rocksdb.compaction-pending") != 0) {
                    return false;
                }
            }
            return db.getLongProperty("rocksdb.num-running-flushes") == 0
                    && db.getLongProperty("rocksdb.num-running-compactions") == 0;
        } catch (RocksDBException e) {
            return false;
        }
    }

    /** Compacts everything now: after many deletions, so that their space returns. */
    public void compact() throws IOException {
        try {
            for (ColumnFamilyHandle handle : handles) {
                db.compactRange(handle);
            }
        } catch (RocksDBException e) {
            throw new IOException("cache compaction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new IOException("cannot sync the cache on close: " + e.getMessage(), e);
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            asynchronous.close();
            synchronous.close();
            reads.close();
            streams.close();
            familyOptions.forEach(ColumnFamilyOptions::close);
            options.close();
            blockCache.close();
        }
    }

    /** Changes to commit together; see {@link CacheDatabase#write}. */
    public static final class Batch implements AutoCloseable {
        private final CacheDatabase database;
        private final org.rocksdb.WriteBatch writes = new org.rocksdb.WriteBatch();

        private Batch(CacheDatabase database) {
            this.database = database;
        }

        public Batch putPage(int volume, long page, byte[] value) throws IOException {
            return run(() -> writes.put(database.pages, Keys.of(volume, page), value));
        }

        public Batch deletePage(int volume, long page) throws IOException {
            return run(() -> writes.delete(database.pages, Keys.of(volume, page)));
        }

        /** Deletes pages {@code [from, to)} with one range tombstone. */
        public Batch deletePages(int volume, long from, long to) throws IOException {
            return run(() -> writes.deleteRange(database.pages, Keys.of(volume, from), Keys.of(volume, to)));
        }

        public Batch putChunk(int volume, long chunk, ChunkRecord record) throws IOException {
            return run(() -> writes.put(database.chunks, Keys.of(volume, chunk), record.encode()));
        }

        public Batch deleteChunk(int volume, long chunk) throws IOException {
            return run(() -> writes.delete(database.chunks, Keys.of(volume, chunk)));
        }

        public Batch putDirty(int volume, long chunk, long generation) throws IOException {
            return run(() -> writes.put(database.dirty, Keys.of(volume, chunk),
                    ByteBuffer.allocate(8).putLong(generation).array()));
        }

        public Batch deleteDirty(int volume, long chunk) throws IOException {
            return run(() -> writes.delete(database.dirty, Keys.of(volume, chunk)));
        }

        public Batch putRemote(int volume, long chunk, byte[] ref) throws IOException {
            return run(() -> writes.put(database.remote, Keys.of(volume, chunk), ref));
        }

        public Batch deleteRemote(int volume, long chunk) throws IOException {
            return run(() -> writes.delete(database.remote, Keys.of(volume, chunk)));
        }

        public Batch deleteUploading(int volume, long chunk) throws IOException {
            return run(() -> writes.delete(database.uploading, Keys.of(volume, chunk)));
        }

        public Batch putFrozen(int volume, long chunk, long generation, byte[] value) throws IOException {
            return run(() -> writes.put(database.frozen, Keys.frozen(volume, chunk, generation), value));
        }

        public Batch deleteFrozen(int volume, long chunk, long generation) throws IOException {
            return run(() -> writes.delete(database.frozen, Keys.frozen(volume, chunk, generation)));
        }

        public Batch putVolume(String name, byte[] value) throws IOException {
            return run(() -> writes.put(database.volumes, name.getBytes(StandardCharsets.UTF_8), value));
        }

        public Batch deleteVolume(String name, int volume) throws IOException {
            byte[] first = Keys.of(volume, 0);
            byte[] end = Keys.of(volume + 1, 0);
            return run(() -> {
                writes.delete(database.volumes, name.getBytes(StandardCharsets.UTF_8));
                writes.deleteRange(database.pages, first, end);
                writes.deleteRange(database.chunks, first, end);
                writes.deleteRange(database.dirty, first, end);
                writes.deleteRange(database.remote, first, end);
                writes.deleteRange(database.uploading, first, end);
                // Frozen keys are longer, but share the 12-byte prefix order, so the same range covers them.
                writes.deleteRange(database.frozen, first, end);
            });
        }

        /** Whether nothing was added. */
        public boolean isEmpty() {
            return writes.count() == 0;
        }

        private Batch run(BatchStep step) throws IOException {
            try {
                step.run();
                return this;
            } catch (RocksDBException e) {
                throw new IOException("cannot build a cache write: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            writes.close();
        }

        @FunctionalInterface
        private interface BatchStep {
            void run() throws RocksDBException;
        }
    }
}
