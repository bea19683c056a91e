package org.storagegateway.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.storagegateway.cache.BlockCache.VolumeState;
import org.storagegateway.cache.policy.CleanChunkIndex;
import org.storagegateway.cache.store.CacheDatabase;
import org.storagegateway.cache.store.ChunkRecord;
import org.storagegateway.cache.store.VolumeRecord;
import org.storagegateway.scsi.block.BlockDevice;

/**
 * One volume in the {@link BlockCache}, as the {@link BlockDevice} a disk logical unit runs on. Partial writes
 * rewrite only the pages they touch; pages of zeros, and deallocated pages, are stored as nothing. A cached volume
 * fetches what the cache does not hold from its {@link ChunkSource}.
 *
 * <p>The upload side ({@link #dirtyChunks}, {@link #readChunk}, {@link #markClean}) is how an uploader drains dirty
 * data: it reads a chunk with the stamp of its record, uploads it, and clears the dirty mark only if no write came in
 * between.
 */
public final class CachedVolume implements BlockDevice {
    /** Reads up to this size populate the hot tier; larger ones are streams, which would only churn it. */
    private static final int HOT_TIER_READ_LIMIT = 128 << 10;
    /** Chunks changed in one batch when deallocating a long range. */
    private static final int DEALLOCATE_GROUP = 64;

    private final BlockCache cache;
    private final CacheDatabase database;
    private final String name;
    private final VolumeState state;
    private final ChunkSource chunkSource;
    private final boolean pinned;
    private final int id;
    private final int pageSize;
    private final int pageShift;
    private final int chunkSize;
    private final int chunkShift;
    private final int pagesPerChunk;
    private final ChunkPages pages;
    private volatile VolumeRecord layout;
    private volatile boolean closed;

    /** A chunk not yet uploaded, and the generation of its latest write. */
    public record DirtyChunk(long index, long generation) {
    }

    /**
     * A chunk's content at one moment, for upload.
     *
     * @param index      the chunk
     * @param data       its bytes, one chunk long
     * @param zero       whether it is all zeros (nothing is stored)
     * @param generation the generation of its latest write not uploaded, 0 if clean
     * @param stamp      the hand-off token for {@link #markClean}
     */
    public record ChunkImage(long index, byte[] data, boolean zero, long generation, long stamp) {
    }

    CachedVolume(BlockCache cache, String name, VolumeRecord layout, ChunkSource source) {
        this.cache = cache;
        this.database = cache.database;
        this.name = name;
        this.state = cache.state(layout.id());
        this.chunkSource = source;
        this.pinned = layout.pinned();
        this.id = layout.id();
        this.pageSize = layout.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.chunkSize = layout.chunkSize();
        this.chunkShift = Integer.numberOfTrailingZeros(chunkSize);
        this.pagesPerChunk = chunkSize / pageSize;
        this.layout = layout;
        this.pages = new ChunkPages(cache, name, layout, source);
    }

    public String name() {
        return name;
    }

    int id() {
        return id;
    }

    public VolumeMode mode() {
        return pinned ? VolumeMode.STORED : VolumeMode.CACHED;
    }

    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public long size() {
        return layout.sizeBytes();
    }

    private void check(long offset, long length) {
        if (closed) {
            throw new IllegalStateException("volume " + name + " is closed");
        }
        long size = layout.sizeBytes();
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(String.format("offset %d length %d outside volume %s of %d bytes",
                    offset, length, name, size));
        }
    }

    private long chunkId(long chunk) {
        return CleanChunkIndex.key(id, chunk);
    }


    @Override
    public void read(long offset, ByteBuffer destination) throws IOException {
        check(offset, destination.remaining());
        boolean populate = destination.remaining() <= HOT_TIER_READ_LIMIT;
        while (destination.hasRemaining()) {
            long chunk = offset >>> chunkShift;
            int inChunk = (int) (offset & (chunkSize - 1));
            int length = Math.min(destination.remaining(), chunkSize - inChunk);
            readFromChunk(chunk, inChunk, length, destination, populate);
            offset += length;
        }
    }

    private void readFromChunk(long chunk, int inChunk, int length, ByteBuffer destination, boolean populate)
            throws IOException {
        int firstPage = inChunk >>> pageShift;
        int lastPage = (inChunk + length - 1) >>> pageShift;
        ReentrantReadWriteLock lock = cache.locks.of(chunkId(chunk));
        boolean served;
        lock.readLock().lock();
        try {
            ChunkRecord record = cache.record(state, chunk);
            served = !pages.needsSource(chunk, record, firstPage, lastPage);
            if (served) {
                pages.copyOut(record, chunk, inChunk, length, destination, populate);
                cache.readHits.increment();
            }
        } finally {
            lock.readLock().unlock();
        }
        if (!served) {
            cache.awaitEvictionLag();
            // Only the lock's writer may fetch, so two readers of a missing chunk fetch it once.
            lock.writeLock().lock();
            try {
                ChunkRecord record = cache.record(state, chunk);
                if (pages.needsSource(chunk, record, firstPage, lastPage)) {
                    record = pages.fetchLocked(chunk, record);
                } else {
                    cache.readHits.increment();
                }
                pages.copyOut(record, chunk, inChunk, length, destination, populate);
            } finally {
                lock.writeLock().unlock();
            }
        }
        if (!pinned) {
            cache.index.touch(chunkId(chunk));
        }
    }


    @Override
    public void write(long offset, ByteBuffer source, boolean forceUnitAccess) throws IOException {
        int length = source.remaining();
        check(offset, length);
        if (length == 0) {
            return;
        }
        if (!pinned) {
            try {
                cache.uploadBuffer.awaitRoom();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the upload buffer was full");
            }
            cache.awaitEvictionLag();
        }
        mutate(offset, length, source, forceUnitAccess);
    }

    /**
     * Writes {@code source} (null: zeros) over {@code [offset, offset + length)} in one batch, with every chunk it
     * touches locked and marked dirty in the volume's current generation.
     */
    private void mutate(long offset, long length, ByteBuffer source, boolean sync) throws IOException {
        long firstChunk = offset >>> chunkShift;
        long lastChunk = (offset + length - 1) >>> chunkShift;
        int chunks = Math.toIntExact(lastChunk - firstChunk + 1);
        long[] ids = new long[chunks];
        for (int i = 0; i < chunks; i++) {
            ids[i] = chunkId(firstChunk + i);
        }
        ChunkRecord[] before = new ChunkRecord[chunks];
        ChunkRecord[] after = new ChunkRecord[chunks];
        int[] taken = cache.locks.lockAll(ids, chunks);
        try {
            long generation = layout.generation();
            try (CacheDatabase.Batch batch = database.batch()) {
                long position = offset;
                long end = offset + length;
                for (int i = 0; i < chunks; i++) {
                    long chunk = firstChunk + i;
                    int from = (int) (position - (chunk << chunkShift));
                    int to = (int) (Math.min(end, (chunk + 1) << chunkShift) - (chunk << chunkShift));
                    before[i] = cache.record(state, chunk);
                    if (pages.needsSourceForPartialPages(chunk, before[i], from, to)) {
                        before[i] = pages.fetchLocked(chunk, before[i]);
                    }
                    after[i] = before[i] == null
                            ? ChunkRecord.empty(pagesPerChunk, pinned || !chunkSource.holds(chunk))
                            : before[i].copy();
                    pages.writePages(batch, chunk, before[i], after[i], from, to, source);
                    after[i].markDirty(generation);
                    batch.putChunk(id, chunk, after[i]);
                    if (before[i] == null || before[i].dirtyGeneration() != generation) {
                        batch.putDirty(id, chunk, generation);
                    }
                    position = (chunk + 1) << chunkShift;
                }
                database.write(batch, sync);
            }
            for (int i = 0; i < chunks; i++) {
                cache.publish(state, firstChunk + i, before[i], after[i]);
            }
        } finally {
            cache.locks.unlock(taken);
        }
    }


    @Override
    public void deallocate(long offset, long length) throws IOException {
        check(offset, length);
        long end = offset + length;
        long position = offset;
        while (position < end) {
            long chunk = position >>> chunkShift;
            if (pinned) {
                // A stored volume's absent chunk already reads as zeros: skip the gaps without visiting them.
                long next = database.nextChunk(id, chunk);
                if (next < 0 || next << chunkShift >= end) {
                    return;
                }
                if (next > chunk) {
                    position = next << chunkShift;
                    continue;
                }
            }
            long groupEnd = Math.min(end, (chunk + (pinned ? 1 : DEALLOCATE_GROUP)) << chunkShift);
            mutate(position, groupEnd - position, null, false);
            position = groupEnd;
        }
    }

    @Override
    public List<Extent> mapping(long offset, long maxLength, int maxExtents) throws IOException {
        check(offset, 0);
        long end = Math.min(layout.sizeBytes(), offset + Math.min(maxLength, layout.sizeBytes() - offset));
        List<Extent> extents = new ArrayList<>();
        long runStart = offset;
        Boolean runMapped = null;
        long position = offset;
        while (position < end) {
            long chunk = position >>> chunkShift;
            long chunkEnd = Math.min(end, (chunk + 1) << chunkShift);
            ChunkRecord record;
            Lock lock = cache.locks.of(chunkId(chunk)).readLock();
            lock.lock();
            try {
                record = cache.record(state, chunk);
            } finally {
                lock.unlock();
            }
            if (record == null) {
                if (pinned) {
                    long next = database.nextChunk(id, chunk + 1);
                    chunkEnd = next < 0 ? end : Math.min(end, next << chunkShift);
                }
                // A cached volume's absent chunk is mapped if the object store may hold it.
                boolean mapped = !pinned && chunkSource.holds(chunk);
                if (runMapped != null && runMapped != mapped) {
                    extents.add(new Extent(runStart, position - runStart, runMapped));
                    if (extents.size() == maxExtents) {
                        return extents;
                    }
                    runStart = position;
                }
                runMapped = mapped;
                position = chunkEnd;
                continue;
            }
            while (position < chunkEnd) {
                int page = (int) ((position & (chunkSize - 1)) >>> pageShift);
                boolean mapped = record.isStored(page) || !record.isKnown(page);
                long pageEnd = Math.min(chunkEnd, (position & -(long) pageSize) + pageSize);
                if (runMapped != null && runMapped != mapped) {
                    extents.add(new Extent(runStart, position - runStart, runMapped));
                    if (extents.size() == maxExtents) {
                        return extents;
                    }
                    runStart = position;
                }
                runMapped = mapped;
                position = pageEnd;
            }
        }
        if (runMapped != null && end > runStart) {
            extents.add(new Extent(runStart, end - runStart, runMapped));
        }
        return extents;
    }

    @Override
    public void flush() throws IOException {
        database.syncWal();
    }

    @Override
    public synchronized void resize(long newSize) throws IOException {
        VolumeRecord current = layout;
        if (newSize < current.sizeBytes()) {
            throw new IllegalArgumentException("volume " + name + " cannot shrink from " + current.sizeBytes()
                    + " to " + newSize + " bytes");
        }
        if (newSize == current.sizeBytes()) {
            return;
        }
        VolumeRecord grown = current.withSize(newSize);
        try (CacheDatabase.Batch batch = database.batch()) {
            database.write(batch.putVolume(name, grown.encode()), true);
        }
        layout = grown;
    }

    /**
     * True: an acknowledged write is in RocksDB's write-ahead log, which survives the process but is not synced to
     * the medium until FUA or SYNCHRONIZE CACHE. The caching mode page reports WCE=1 accordingly.
     */
    @Override
    public boolean volatileWriteCache() {
        return true;
    }

    @Override
    public boolean mayBlock() {
        return true;
    }

    /** The current snapshot generation: writes are marked dirty in it. */
    public long generation() {
        return layout.generation();
    }

    /**
     * Starts a new generation and returns the one it closed: writes from now on belong to the next snapshot. The
     * caller holds off writes while it freezes a snapshot (issue-level concern of the snapshot code).
     */
    public synchronized long advanceGeneration() throws IOException {
        VolumeRecord current = layout;
        VolumeRecord next = current.withGeneration(current.generation() + 1);
        try (CacheDatabase.Batch batch = database.batch()) {
            database.write(batch.putVolume(name, next.encode()), true);
        }
        layout = next;
        return current.generation();
    }

    /** Up to {@code max} dirty chunks from chunk {@code fromChunk} on, in chunk order. */
    public List<DirtyChunk> dirtyChunks(long fromChunk, int max) {
        List<DirtyChunk> chunks = new ArrayList<>();
        database.dirtyChunks(id, fromChunk, max, (chunk, generation) -> chunks.add(new DirtyChunk(chunk, generation)));
        return chunks;
    }

    /** A chunk's whole content now (fetching what a cached volume lacks), with the stamp for {@link #markClean}. */
    public ChunkImage readChunk(long chunk) throws IOException {
        check(chunk << chunkShift, 0);
        if (!pinned) {
            cache.awaitEvictionLag();
        }
        Lock lock = cache.locks.of(chunkId(chunk)).writeLock();
        lock.lock();
        try {
            ChunkRecord record = cache.record(state, chunk);
            if (pages.needsSource(chunk, record, 0, pagesPerChunk - 1)) {
                record = pages.fetchLocked(chunk, record);
            }
            ByteBuffer data = ByteBuffer.allocate(chunkSize);
            pages.copyOut(record, chunk, 0, chunkSize, data, false);
            boolean zero = record == null || record.storedPages() == 0;
            return record == null ? new ChunkImage(chunk, data.array(), true, 0, 0)
                    : new ChunkImage(chunk, data.array(), zero, record.dirtyGeneration(), record.stamp());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Clears a chunk's dirty mark after its {@link ChunkImage} reached the object store, unless a write changed the
     * chunk since (then it stays dirty and returns false). A clean chunk of a cached volume becomes evictable.
     */
    public boolean markClean(long chunk, long stamp) throws IOException {
        Lock lock = cache.locks.of(chunkId(chunk)).writeLock();
        lock.lock();
        try {
            ChunkRecord before = cache.record(state, chunk);
            if (before == null || before.stamp() != stamp || !before.isDirty()) {
                return false;
            }
            ChunkRecord after = before.copy();
            after.markClean();
            boolean drop = pinned && after.isEmptyAndClean();
            try (CacheDatabase.Batch batch = database.batch()) {
                if (drop) {
                    batch.deleteChunk(id, chunk);
                } else {
                    batch.putChunk(id, chunk, after);
                }
                database.write(batch.deleteDirty(id, chunk), false);
            }
            cache.publish(state, chunk, before, drop ? null : after);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cache.closed(this);
        }
    }
}
