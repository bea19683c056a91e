package org.storagegateway.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.storagegateway.cache.policy.ChunkLocks;
import org.storagegateway.cache.policy.CleanChunkIndex;
import org.storagegateway.cache.policy.HotTier;
import org.storagegateway.cache.policy.UploadBuffer;
import org.storagegateway.cache.store.CacheChecker;
import org.storagegateway.cache.store.CacheDatabase;
import org.storagegateway.cache.store.CheckReport;
import org.storagegateway.cache.store.ChunkRecord;
import org.storagegateway.cache.store.CorruptCacheException;
import org.storagegateway.cache.store.FrozenChunk;
import org.storagegateway.cache.store.Keys;
import org.storagegateway.cache.store.PageCodec;
import org.storagegateway.cache.store.VolumeRecord;

/**
 * The local block store of the gateway: volumes' data as LZ4-compressed pages in RocksDB, grouped in chunks that
 * carry durable dirty marks, a Caffeine tier of hot decompressed pages, eviction of clean chunks of cached volumes
 * within a capacity, and upload buffer backpressure. One per appliance; volumes come from {@link #openVolume}.
 *
 * <p>A write is acknowledged once its batch (pages, chunk record, dirty mark) is in the write-ahead log; a process
 * killed at any moment reopens with every acknowledged write. FUA and SYNCHRONIZE CACHE sync the log.
 */
public final class BlockCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockCache.class);
    private static final ChunkRecord ABSENT = ChunkRecord.empty(1, true);
    private static final int RECORD_CACHE_ENTRIES = 1 << 16;
    /** Object-store reads for read-ahead and hydration at once, across all volumes. */
    private static final int FETCH_THREADS = 8;
    private static final int FETCH_QUEUE = 256;
    /** How many chunks cached volumes' data may exceed the capacity by while the evictor catches up. */
    static final int EVICTION_LAG_CHUNKS = 4;

    final CacheSettings settings;
    final CacheDatabase database;
    final PageCodec codec;
    final HotTier hotTier;
    final ChunkLocks locks = new ChunkLocks(4096);
    final CleanChunkIndex index;
    final UploadBuffer uploadBuffer;
    private final ExecutorService evictor;
    /**
     * Read-ahead and hydration fetches of every volume: a few object-store reads at once, and a bounded queue that
     * drops read-ahead rather than grow (a dropped chunk is fetched by the read that needs it).
     */
    final ThreadPoolExecutor fetchPool;
    private final Cache<Long, ChunkRecord> records;
    private final Map<Integer, VolumeState> volumes = new ConcurrentHashMap<>();
    private final Map<String, CachedVolume> open = new ConcurrentHashMap<>();
    private final AtomicLong stamps = new AtomicLong();
    private final AtomicLong cachedUsed = new AtomicLong();
    private final AtomicLong backgroundFetches = new AtomicLong();
    private final AtomicLong storedUsed = new AtomicLong();
    private final AtomicLong storedDirty = new AtomicLong();
    final LongAdder readHits = new LongAdder();
    final LongAdder readMisses = new LongAdder();
    final LongAdder hotHits = new LongAdder();
    final LongAdder hotMisses = new LongAdder();
    final LongAdder pageBytesWritten = new LongAdder();
    final LongAdder storedBytesWritten = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private volatile boolean closed;

    /** What the cache accounts per volume. */
    static final class VolumeState {
        final VolumeRecord layout;
        final AtomicLong used = new AtomicLong();
        final AtomicLong dirty = new AtomicLong();
        final AtomicLong frozen = new AtomicLong();

        VolumeState(VolumeRecord layout) {
            this.layout = layout;
        }

        int pagesPerChunk() {
            return layout.chunkSize() / layout.pageSize();
        }
    }

    private BlockCache(CacheSettings settings, CacheDatabase database) {
        this.settings = settings;
        this.database = database;
        this.codec = new PageCodec(settings.pageSize());
        this.hotTier = new HotTier(settings.hotTierBytes());
        this.uploadBuffer = new UploadBuffer(settings.uploadBufferBytes());
        this.evictor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cache-evictor");
            thread.setDaemon(true);
            return thread;
        });
        this.index = new CleanChunkIndex(settings.capacityBytes(), evictor, this::evict);
        AtomicInteger fetchers = new AtomicInteger();
        this.fetchPool = new ThreadPoolExecutor(FETCH_THREADS, FETCH_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(FETCH_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "cache-fetch-" + fetchers.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        fetchPool.allowCoreThreadTimeOut(true);
        this.records = Caffeine.newBuilder().maximumSize(RECORD_CACHE_ENTRIES).executor(Runnable::run).build();
    }

    /** Opens the cache in {@code settings.directory()}, recovering its accounting from what RocksDB holds. */
    public static BlockCache open(CacheSettings settings) throws IOException {
        CacheDatabase database = CacheDatabase.open(settings.directory(), settings.blockCacheBytes(), false);
        BlockCache cache = new BlockCache(settings, database);
        try {
            cache.recover();
        } catch (IOException | RuntimeException e) {
            cache.close();
            throw e;
        }
        return cache;
    }

    private void recover() throws IOException {
        IOException[] failure = new IOException[1];
        database.forEachVolume((name, value) -> {
            try {
                VolumeRecord layout = VolumeRecord.decode(value);
                volumes.put(layout.id(), new VolumeState(layout));
            } catch (CorruptCacheException e) {
                failure[0] = new CorruptCacheException("volume " + name + ": " + e.getMessage());
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        long[] counts = new long[2];
        database.forEachChunk((key, value) -> {
            VolumeState volume = volumes.get(Keys.volume(key));
            if (volume == null || failure[0] != null) {
                return;
            }
            try {
                ChunkRecord record = ChunkRecord.decode(value, volume.pagesPerChunk());
                account(volume, Keys.index(key), null, record);
                counts[0]++;
                counts[1] += record.isDirty() ? 1 : 0;
            } catch (CorruptCacheException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        database.forEachFrozen((key, value) -> {
            VolumeState volume = volumes.get(Keys.volume(key));
            if (volume == null || failure[0] != null) {
                return;
            }
            try {
                accountFrozen(volume, FrozenChunk.decode(value, volume.pagesPerChunk()).record(), 1);
            } catch (CorruptCacheException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        rebalance();
        sizeDatabase();
        LOG.info("Cache in {}: {} volumes, {} chunks ({} dirty), {} bytes of cached volumes, {} of stored volumes",
                settings.directory(), volumes.size(), counts[0], counts[1], cachedUsed.get(), storedUsed.get());
    }

    /**
     * Opens a volume, creating it when new. An existing volume keeps its layout and mode (a different mode is
     * refused) and grows to {@code sizeBytes} if that is larger; a smaller size is refused, since it would drop data.
     * A cached volume needs the {@code source} its evicted chunks come back from; a stored volume needs one only
     * when it was created from a snapshot and still has chunks in the object store.
     */
    public synchronized CachedVolume openVolume(String name, long sizeBytes, VolumeMode mode, ChunkSource source)
            throws IOException {
        if (closed) {
            throw new IllegalStateException("the cache is closed");
        }
        if (open.containsKey(name)) {
            throw new IllegalStateException("volume " + name + " is already open");
        }
        if (mode == VolumeMode.CACHED && source == null) {
            throw new IllegalArgumentException("a cached volume needs a chunk source");
        }
        byte[] existing = database.volume(name);
        VolumeRecord layout;
        if (existing == null) {
            layout = new VolumeRecord(database.allocateVolumeId(), sizeBytes, settings.chunkSize(),
                    settings.pageSize(), mode == VolumeMode.STORED, 1);
            try (CacheDatabase.Batch batch = database.batch()) {
                database.write(batch.putVolume(name, layout.encode()), true);
            }
            volumes.put(layout.id(), new VolumeState(layout));
        } else {
            layout = VolumeRecord.decode(existing);
            if (layout.pinned() != (mode == VolumeMode.STORED)) {
                throw new IOException("volume " + name + " exists as a " + (layout.pinned() ? "stored" : "cached")
                        + " volume; it cannot be opened as " + mode.name().toLowerCase());
            }
            if (sizeBytes < layout.sizeBytes()) {
                throw new IOException("volume " + name + " holds " + layout.sizeBytes() + " bytes; shrinking it to "
                        + sizeBytes + " would drop data, so it is refused");
            }
        }
        CachedVolume volume = new CachedVolume(this, name, layout, source);
        if (sizeBytes > layout.sizeBytes()) {
            volume.resize(sizeBytes);
        }
        open.put(name, volume);
        sizeDatabase();
        return volume;
    }

    /** Whether a volume of that name exists, open or not. */
    public synchronized boolean hasVolume(String name) throws IOException {
        return database.volume(name) != null;
    }

    /** Deletes a volume and all its data; it must not be open. */
    public synchronized void deleteVolume(String name) throws IOException {
        if (open.containsKey(name)) {
            throw new IllegalStateException("volume " + name + " is open");
        }
        byte[] existing = database.volume(name);
        if (existing == null) {
            throw new IOException("no volume " + name);
        }
        VolumeRecord layout = VolumeRecord.decode(existing);
        try (CacheDatabase.Batch batch = database.batch()) {
            database.write(batch.deleteVolume(name, layout.id()), true);
        }
        VolumeState state = volumes.remove(layout.id());
        index.removeVolume(layout.id());
        hotTier.invalidateVolume(layout.id());
        records.asMap().keySet().removeIf(key -> key >>> 40 == layout.id());
        if (state != null) {
            (layout.pinned() ? storedUsed : cachedUsed).addAndGet(-state.used.get());
            if (layout.pinned()) {
                storedDirty.addAndGet(-state.dirty.get());
            } else {
                uploadBuffer.add(-state.dirty.get());
            }
        }
        rebalance();
        sizeDatabase();
    }

    void closed(CachedVolume volume) {
        open.remove(volume.name(), volume);
    }

    VolumeState state(int volume) {
        return volumes.get(volume);
    }

    /** The record of a chunk, or null when the cache holds nothing of it. Call with the chunk's lock held. */
    ChunkRecord record(VolumeState volume, long chunk) throws IOException {
        long id = CleanChunkIndex.key(volume.layout.id(), chunk);
        ChunkRecord record = records.getIfPresent(id);
        if (record == null) {
            byte[] value = database.chunk(volume.layout.id(), chunk);
            record = value == null ? ABSENT : ChunkRecord.decode(value, volume.pagesPerChunk());
            if (record != ABSENT) {
                record.setStamp(stamps.incrementAndGet());
            }
            records.put(id, record);
        }
        return record == ABSENT ? null : record;
    }

    /**
     * Publishes a chunk's record after its batch committed ({@code record} null: gone), and moves the accounting.
     * Call with the chunk's write lock held.
     */
    void publish(VolumeState volume, long chunk, ChunkRecord before, ChunkRecord after) {
        long id = CleanChunkIndex.key(volume.layout.id(), chunk);
        if (after != null) {
            after.setStamp(stamps.incrementAndGet());
        }
        records.put(id, after == null ? ABSENT : after);
        account(volume, chunk, before, after);
        if (!volume.layout.pinned()) {
            rebalance();
        }
    }

    private void account(VolumeState volume, long chunk, ChunkRecord before, ChunkRecord after) {
        long pageSize = volume.layout.pageSize();
        long usedBefore = before == null ? 0 : before.storedPages() * pageSize;
        long usedAfter = after == null ? 0 : after.storedPages() * pageSize;
        long dirtyBefore = before != null && before.isDirty() ? usedBefore : 0;
        long dirtyAfter = after != null && after.isDirty() ? usedAfter : 0;
        volume.used.addAndGet(usedAfter - usedBefore);
        volume.dirty.addAndGet(dirtyAfter - dirtyBefore);
        if (volume.layout.pinned()) {
            storedUsed.addAndGet(usedAfter - usedBefore);
            storedDirty.addAndGet(dirtyAfter - dirtyBefore);
            return;
        }
        cachedUsed.addAndGet(usedAfter - usedBefore);
        if (dirtyAfter != dirtyBefore) {
            uploadBuffer.add(dirtyAfter - dirtyBefore);
        }
        long id = CleanChunkIndex.key(volume.layout.id(), chunk);
        boolean cleanAfter = after != null && !after.isDirty() && usedAfter > 0;
        boolean cleanBefore = before != null && !before.isDirty() && usedBefore > 0;
        if (cleanAfter && (!cleanBefore || usedAfter != usedBefore)) {
            index.add(id, (int) Math.min(Integer.MAX_VALUE, usedAfter));
        } else if (!cleanAfter && cleanBefore) {
            index.remove(id);
        }
    }

    /**
     * Counts a frozen chunk in ({@code sign} 1) or out (-1): its pages are data not yet uploaded, like dirty ones,
     * and take room in the upload buffer.
     */
    void accountFrozen(VolumeState volume, ChunkRecord record, int sign) {
        long bytes = sign * (long) record.storedPages() * volume.layout.pageSize();
        volume.frozen.addAndGet(bytes);
        if (volume.layout.pinned()) {
            storedDirty.addAndGet(bytes);
        } else {
            uploadBuffer.add(bytes);
            rebalance();
        }
    }

    /**
     * Closes the current generation of every volume given at one instant, with every chunk lock held, so that no
     * write straddles it: writes before belong to the closed generation (and to the snapshot being taken), writes
     * after to the next. Returns each volume's closed generation.
     */
    public Map<CachedVolume, Long> advanceGenerations(List<CachedVolume> group) throws IOException {
        Map<CachedVolume, Long> closedGenerations = new LinkedHashMap<>();
        Map<CachedVolume, VolumeRecord> next = new LinkedHashMap<>();
        int[] taken = locks.lockEverything();
        try {
            try (CacheDatabase.Batch batch = database.batch()) {
                for (CachedVolume volume : group) {
                    VolumeRecord current = volume.layout();
                    if (next.containsKey(volume)) {
                        throw new IllegalArgumentException("volume " + volume.name() + " is listed twice");
                    }
                    closedGenerations.put(volume, current.generation());
                    next.put(volume, current.withGeneration(current.generation() + 1));
                    batch.putVolume(volume.name(), next.get(volume).encode());
                }
                database.write(batch, true);
            }
            next.forEach(CachedVolume::layoutChanged);
        } finally {
            locks.unlock(taken);
        }
        return closedGenerations;
    }

    /** Sizes RocksDB's buffers for what the cache may hold: the capacity and every stored volume. */
    void sizeDatabase() throws IOException {
        long data = settings.capacityBytes();
        for (VolumeState volume : volumes.values()) {
            if (volume.layout.pinned()) {
                CachedVolume opened = open.values().stream().filter(v -> v.id() == volume.layout.id()).findAny()
                        .orElse(null);
                data += opened == null ? volume.layout.sizeBytes() : opened.size();
            }
        }
        database.sizeFor(data);
    }

    /** Clean data may use what dirty data leaves of the capacity. */
    private void rebalance() {
        long target = Math.max(0, settings.capacityBytes() - uploadBuffer.used());
        if (Math.abs(target - index.limit()) >= settings.chunkSize() || target == 0) {
            index.setLimit(target);
        }
    }

    /** Evicts a clean chunk that the index chose, unless a write made it dirty since. Runs on the evictor thread. */
    private void evict(long id) {
        if (closed) {
            return;
        }
        VolumeState volume = volumes.get((int) (id >>> 40));
        if (volume == null) {
            return;
        }
        long chunk = id & ((1L << 40) - 1);
        Lock lock = locks.of(id).writeLock();
        lock.lock();
        try {
            ChunkRecord record = record(volume, chunk);
            if (record == null || record.isDirty()) {
                return;
            }
            int pages = volume.pagesPerChunk();
            long firstPage = chunk * pages;
            try (CacheDatabase.Batch batch = database.batch()) {
                batch.deletePages(volume.layout.id(), firstPage, firstPage + pages);
                batch.deleteChunk(volume.layout.id(), chunk);
                database.write(batch, false);
            }
            hotTier.invalidate(volume.layout.id(), firstPage, firstPage + pages);
            publish(volume, chunk, record, null);
            evictions.increment();
        } catch (IOException e) {
            LOG.error("Evicting chunk {} of volume {} failed; it stays: {}", chunk, volume.layout.id(),
                    e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The figures of this moment. */
    public CacheMetrics metrics() {
        return new CacheMetrics(settings.capacityBytes(), cachedUsed.get(), storedUsed.get(),
                uploadBuffer.used() + storedDirty.get(), uploadBuffer.limit(), uploadBuffer.used(),
                readHits.sum(), readMisses.sum(), hotHits.sum(), hotMisses.sum(), evictions.sum(),
                pageBytesWritten.sum(), storedBytesWritten.sum(), uploadBuffer.throttledWrites());
    }

    /** Bytes of one volume held in the cache, and bytes not yet uploaded (dirty pages and frozen copies). */
    public long[] volumeUsage(CachedVolume volume) {
        VolumeState state = volumes.get(volume.id());
        return state == null ? new long[2] : new long[] {state.used.get(), state.dirty.get() + state.frozen.get()};
    }

    /**
     * Checks what RocksDB holds for damage ({@link CacheChecker}) and recounts each volume. Safe while volumes are
     * written, since it reads one snapshot; its recount matches {@link #metrics()} only while nothing is written.
     */
    public CheckReport check() throws IOException {
        return CacheChecker.check(database);
    }

    /** RocksDB's live data and memtables, in bytes. */
    public long diskBytes() {
        return database.diskBytes();
    }

    /**
     * Waits up to {@code timeout} until RocksDB has no flush or compaction to do; returns whether it got there. For
     * benchmarks that must not time a write's background work as part of what comes after it.
     */
    public boolean awaitBackgroundWork(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!database.backgroundIdle()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Waits for pending evictions; for tests and orderly shutdown. */
    public void awaitEvictions() {
        try {
            drainEvictor();
        } catch (Exception e) {
            throw new IllegalStateException("evictions did not finish", e);
        }
    }

    /**
     * Waits for the evictor while cached volumes' data is more than {@link #EVICTION_LAG_CHUNKS} chunks over the
     * capacity. Eviction runs on its own thread, behind the writes and fetches that call for it, and nothing bounded
     * how far they could get ahead: on two busy cores EvictionTest saw 19 chunks over a 64-chunk capacity. Call with
     * no chunk lock held: the evictor takes them.
     */
    void awaitEvictionLag() throws InterruptedIOException {
        long bound = settings.capacityBytes() + EVICTION_LAG_CHUNKS * (long) settings.chunkSize();
        if (closed || cachedUsed.get() <= bound) {
            return;
        }
        try {
            drainEvictor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for evictions");
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("Waiting for evictions failed: {}", e.toString());
        }
    }

    /** Evicts what the index is over its bound by, and waits until the evictor has deleted it. */
    /**
     * Reserves room for one background fetch of a cached volume's chunk within the eviction lag, waiting for the
     * evictor once if there is none; false when there still is none (read-ahead then skips the chunk). Reservations
     * count with the data, so several fetch threads cannot all pass the bound at once as readers can.
     */
    boolean reserveBackgroundFetch() throws InterruptedIOException {
        long chunk = settings.chunkSize();
        long bound = settings.capacityBytes() + EVICTION_LAG_CHUNKS * chunk;
        for (int attempt = 0; attempt < 2 && !closed; attempt++) {
            for (long reserved = backgroundFetches.get(); cachedUsed.get() + reserved + chunk <= bound;
                 reserved = backgroundFetches.get()) {
                if (backgroundFetches.compareAndSet(reserved, reserved + chunk)) {
                    return true;
                }
            }
            awaitEvictionLag();
        }
        return false;
    }

    void releaseBackgroundFetch() {
        backgroundFetches.addAndGet(-settings.chunkSize());
    }

    private void drainEvictor() throws InterruptedException, ExecutionException, TimeoutException {
        index.cleanUp();
        evictor.submit(() -> { }).get(1, TimeUnit.MINUTES);
    }

    public CacheSettings settings() {
        return settings;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        open.values().forEach(CachedVolume::stopBackgroundFetches);
        fetchPool.shutdown();
        evictor.shutdown();
        try {
            fetchPool.awaitTermination(1, TimeUnit.MINUTES);
            evictor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
    }
}
