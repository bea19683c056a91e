package org.storagegateway.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.storagegateway.cache.BlockCache.VolumeState;
import org.storagegateway.cache.policy.CleanChunkIndex;
import org.storagegateway.cache.store.CacheDatabase;
import org.storagegateway.cache.store.ChunkRecord;
import org.storagegateway.cache.store.FrozenChunk;
import org.storagegateway.cache.store.VolumeRecord;
import org.storagegateway.scsi.block.BlockDevice;

/**
 * One volume in the {@link BlockCache}, as the {@link BlockDevice} a disk logical unit runs on. Partial writes
 * rewrite only the pages they touch; pages of zeros, and deallocated pages, are stored as nothing. A cached volume
 * fetches what the cache does not hold from its {@link ChunkSource}.
 *
 * <p>The upload side ({@link #dirtyChunks}, {@link #readChunk}, {@link #markUploaded}, and for snapshots
 * {@link #frozenChunks}, {@link #readFrozen}, {@link #markFrozenUploaded}) is how an uploader drains dirty data: it
 * reads a chunk with the stamp of its record, uploads it, and records where it went, clearing the dirty mark, only if
 * no write came in between.
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
    private final boolean pinned;
    private final int id;
    private final int pageSize;
    private final int pageShift;
    private final int chunkSize;
    private final int chunkShift;
    private final int pagesPerChunk;
    private final ChunkPages pages;
    private final UploadHandOff handOff;
    private volatile VolumeRecord layout;
    private final ReadAhead readAhead;
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
     * @param stamp      the hand-off token for {@link #markUploaded}
     */
    public record ChunkImage(long index, byte[] data, boolean zero, long generation, long stamp) {
    }

    CachedVolume(BlockCache cache, String name, VolumeRecord layout, ChunkSource source) {
        this.cache = cache;
        this.database = cache.database;
        this.name = name;
        this.state = cache.state(layout.id());
        this.pinned = layout.pinned();
        this.id = layout.id();
        this.pageSize = layout.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.chunkSize = layout.chunkSize();
        this.chunkShift = Integer.numberOfTrailingZeros(chunkSize);
        this.pagesPerChunk = chunkSize / pageSize;
        this.layout = layout;
        this.pages = new ChunkPages(cache, name, layout, source);
        this.handOff = new UploadHandOff(cache, this, pages);
        this.readAhead = source == null ? null : new ReadAhead(name, (layout.sizeBytes() + chunkSize - 1) >>> chunkShift,
                cache.fetchPool, this::fetchIfMissing);
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

    void check(long offset, long length) {
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
        boolean missed = false;
        if (!served) {
            cache.awaitEvictionLag();
            // Only the lock's writer may fetch, so two readers of a missing chunk fetch it once.
            lock.writeLock().lock();
            try {
                ChunkRecord record = cache.record(state, chunk);
                if (pages.needsSource(chunk, record, firstPage, lastPage)) {
                    record = pages.fetchLocked(chunk, record);
                    missed = true;
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
        if (readAhead != null) {
            readAhead.afterRead(chunk, missed);
        }
    }

    /** Read-ahead's and hydration's fetch: the whole chunk, unless the cache knows all of it or it was never uploaded. */
    private void fetchIfMissing(long chunk) throws IOException {
        if (closed || !pinned && !cache.reserveBackgroundFetch()) {
            return;
        }
        ReentrantReadWriteLock lock = cache.locks.of(chunkId(chunk));
        lock.writeLock().lock();
        try {
            ChunkRecord record = cache.record(state, chunk);
            if (pages.needsSource(chunk, record, 0, pagesPerChunk - 1)) {
                pages.prefetchLocked(chunk, record);
            }
        } finally {
            lock.writeLock().unlock();
            if (!pinned) {
                cache.releaseBackgroundFetch();
            }
        }
        if (!pinned) {
            cache.index.touch(chunkId(chunk));
        }
    }

    /**
     * Fetches, in the background, every chunk of the volume that has remote content the cache lacks (a stored
     * volume made from a snapshot becomes whole locally; reads meanwhile fetch what they need first). Chunks the
     * cache holds cost a look-up each. Returns false
     * when the volume has no source or the cache's fetch pool is saturated; {@code done} runs when it finished.
     */
    public boolean hydrateInBackground(Runnable done) {
        if (readAhead == null) {
            return false;
        }
        try {
            readAhead.hydrate((from, max) -> handOff.remoteRefs(from, max).stream().map(RemoteRef::index).toList(),
                    done);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
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
     * touches locked and marked dirty in the volume's current generation. A chunk still dirty from an older
     * generation is frozen first, in the same batch: a snapshot taken since needs that content (copy-on-write).
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
        FrozenChunk[] frozen = new FrozenChunk[chunks];
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
                    if (source == null && before[i] == null && pages.remoteRef(chunk) == null) {
                        // Deallocating a chunk that holds nothing anywhere changes nothing: no dirty mark.
                        position = (chunk + 1) << chunkShift;
                        continue;
                    }
                    if (pages.needsSourceForPartialPages(chunk, before[i], from, to)) {
                        before[i] = pages.fetchLocked(chunk, before[i]);
                    }
                    if (before[i] != null && before[i].isDirty() && before[i].dirtyGeneration() < generation) {
                        frozen[i] = pages.freeze(chunk, before[i]);
                        batch.putFrozen(id, chunk, before[i].dirtyGeneration(), frozen[i].encode());
                    }
                    after[i] = before[i] == null ? ChunkRecord.empty(pagesPerChunk, pages.remoteRef(chunk) == null)
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
                if (after[i] == null) {
                    continue;
                }
                if (frozen[i] != null) {
                    cache.accountFrozen(state, frozen[i].record(), 1);
                }
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
            // A chunk with neither pages nor remote content already reads as zeros: skip the gaps unvisited.
            long next = nextHeld(chunk);
            if (next < 0 || next << chunkShift >= end) {
                return;
            }
            if (next > chunk) {
                position = next << chunkShift;
                continue;
            }
            long groupEnd = Math.min(end, (chunk + (pinned ? 1 : DEALLOCATE_GROUP)) << chunkShift);
            mutate(position, groupEnd - position, null, false);
            position = groupEnd;
        }
    }

    /** The first chunk at or after {@code chunk} with a record or a remote reference, or -1. */
    private long nextHeld(long chunk) {
        long record = database.nextChunk(id, chunk);
        long[] remote = {-1};
        database.remoteRefs(id, chunk, 1, (index, ref) -> remote[0] = index);
        return record < 0 ? remote[0] : remote[0] < 0 ? record : Math.min(record, remote[0]);
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
                // An absent chunk is mapped if the object store holds it; a gap runs to the next held chunk.
                boolean mapped = pages.remoteRef(chunk) != null;
                if (!mapped) {
                    long next = nextHeld(chunk + 1);
                    chunkEnd = next < 0 ? end : Math.min(end, next << chunkShift);
                }
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
        // Every chunk lock, as a snapshot's generation change takes them: the two must not overwrite each other.
        int[] taken = cache.locks.lockEverything();
        try {
            resizeLocked(newSize);
        } finally {
            cache.locks.unlock(taken);
        }
    }

    private void resizeLocked(long newSize) throws IOException {
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
        cache.sizeDatabase();
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
     * Starts a new generation and returns the one it closed: writes from now on belong to the next snapshot, and
     * chunks still dirty from the closed one are frozen when next overwritten. See
     * {@link BlockCache#advanceGenerations} for several volumes at one instant.
     */
    public long advanceGeneration() throws IOException {
        return cache.advanceGenerations(List.of(this)).get(this);
    }

    VolumeRecord layout() {
        return layout;
    }

    /** Called by the cache with every chunk lock held, after the new layout is durable. */
    void layoutChanged(VolumeRecord next) {
        layout = next;
    }

    /** A chunk's content kept for a snapshot after a newer generation overwrote it. */
    public record FrozenChunkId(long index, long generation) {
    }

    /** A chunk's remote content, as an uploader recorded it. */
    public record RemoteRef(long index, byte[] ref) {
    }

    /** Up to {@code max} dirty chunks from chunk {@code fromChunk} on, in chunk order. */
    public List<DirtyChunk> dirtyChunks(long fromChunk, int max) {
        return handOff.dirtyChunks(fromChunk, max);
    }

    /** A chunk's whole content now (fetching what a cached volume lacks), with the stamp for {@link #markUploaded}. */
    public ChunkImage readChunk(long chunk) throws IOException {
        return handOff.readChunk(chunk);
    }

    /**
     * Records that a chunk's {@link ChunkImage} reached the object store as {@code remoteRef} (null: it was all
     * zeros and nothing was stored) and clears its dirty mark, in one batch, unless a write changed the chunk since
     * (then nothing changes and this returns false). A clean chunk of a cached volume becomes evictable. A chunk
     * with frozen copies must have those uploaded first, oldest first, or the remote reference would go back in time.
     */
    public boolean markUploaded(long chunk, long stamp, byte[] remoteRef) throws IOException {
        return handOff.markUploaded(chunk, stamp, remoteRef);
    }

    /** Up to {@code max} frozen chunks from chunk {@code fromChunk} on, by chunk, then oldest generation first. */
    public List<FrozenChunkId> frozenChunks(long fromChunk, int max) {
        return handOff.frozenChunks(fromChunk, max);
    }

    /** A frozen chunk's whole content (its stamp is 0: frozen content never changes). */
    public ChunkImage readFrozen(long chunk, long generation) throws IOException {
        return handOff.readFrozen(chunk, generation);
    }

    /**
     * Records that a frozen copy reached the object store as {@code remoteRef} (null: zeros) and drops it, in one
     * batch. It must be the chunk's oldest frozen copy.
     */
    public void markFrozenUploaded(long chunk, long generation, byte[] remoteRef) throws IOException {
        handOff.markFrozenUploaded(chunk, generation, remoteRef);
    }

    /** Where chunk {@code chunk}'s latest uploaded content is, or null. */
    public byte[] remoteRef(long chunk) throws IOException {
        return handOff.remoteRef(chunk);
    }

    /**
     * Notes, before an upload begins, that the chunk's content named {@code ref} may soon be in the object store;
     * {@link #markUploaded} or {@link #markFrozenUploaded} removes the note. After a crash or a failed upload, the
     * note tells an uploader which objects to look for before uploading them again, so it need not ask for all.
     */
    public void noteUploading(long chunk, byte[] ref) throws IOException {
        handOff.noteUploading(chunk, ref);
    }

    /** The reference of an upload of the chunk that began and was not recorded (it may be in the store), or null. */
    public byte[] uploadingRef(long chunk) throws IOException {
        return handOff.uploadingRef(chunk);
    }

    /**
     * A token that changes whenever the chunk is written (and may change when the cache reloads its record), or -1
     * when the cache holds nothing of it: the uploader waits for it to hold still before uploading.
     */
    public long writeStamp(long chunk) throws IOException {
        return handOff.writeStamp(chunk);
    }

    /** Whether writes would soon slow down for want of upload buffer (half of it is used); never for stored volumes. */
    public boolean uploadBufferPressed() {
        return !pinned && cache.uploadBuffer.used() * 2 > cache.uploadBuffer.limit();
    }

    /** Up to {@code max} remote references from chunk {@code fromChunk} on, in chunk order. */
    public List<RemoteRef> remoteRefs(long fromChunk, int max) {
        return handOff.remoteRefs(fromChunk, max);
    }

    /**
     * Names the remote content of chunks this volume holds nothing of (a volume created from a snapshot): they read
     * from the object store on demand from now on. Chunks with a record are refused, since their pages would hide it.
     */
    public void putRemoteRefs(List<RemoteRef> refs) throws IOException {
        handOff.putRemoteRefs(refs);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stopBackgroundFetches();
            cache.closed(this);
        }
    }

    /** Stops read-ahead and hydration and waits for their fetches under way. */
    void stopBackgroundFetches() {
        if (readAhead != null) {
            readAhead.stop();
        }
    }
}
