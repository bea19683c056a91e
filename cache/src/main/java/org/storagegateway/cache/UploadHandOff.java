package org.storagegateway.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

import org.storagegateway.cache.BlockCache.VolumeState;
import org.storagegateway.cache.policy.CleanChunkIndex;
import org.storagegateway.cache.store.CacheDatabase;
import org.storagegateway.cache.store.ChunkRecord;
import org.storagegateway.cache.store.FrozenChunk;
import org.storagegateway.cache.store.PageCodec;

/**
 * The upload side of one {@link CachedVolume}: dirty chunks and frozen copies handed to an uploader, and the remote
 * references it records in return, each change in one batch with the dirty mark or frozen copy it settles. Kept apart
 * from the block-device side, which only ever reads remote references.
 */
final class UploadHandOff {
    private final BlockCache cache;
    private final CacheDatabase database;
    private final CachedVolume volume;
    private final ChunkPages pages;
    private final VolumeState state;
    private final String name;
    private final int id;
    private final boolean pinned;
    private final int chunkSize;
    private final int chunkShift;
    private final int pagesPerChunk;

    UploadHandOff(BlockCache cache, CachedVolume volume, ChunkPages pages) {
        this.cache = cache;
        this.database = cache.database;
        this.volume = volume;
        this.pages = pages;
        this.name = volume.name();
        this.id = volume.id();
        this.state = cache.state(id);
        this.pinned = volume.mode() == VolumeMode.STORED;
        this.chunkSize = volume.chunkSize();
        this.chunkShift = Integer.numberOfTrailingZeros(chunkSize);
        this.pagesPerChunk = volume.chunkSize() / state.layout.pageSize();
    }

    private long chunkId(long chunk) {
        return CleanChunkIndex.key(id, chunk);
    }

    /** Up to {@code max} dirty chunks from chunk {@code fromChunk} on, in chunk order. */
    List<CachedVolume.DirtyChunk> dirtyChunks(long fromChunk, int max) {
        List<CachedVolume.DirtyChunk> chunks = new ArrayList<>();
        database.dirtyChunks(id, fromChunk, max, (chunk, generation) ->
                chunks.add(new CachedVolume.DirtyChunk(chunk, generation)));
        return chunks;
    }

    /** A chunk's whole content now (fetching what a cached volume lacks), with the stamp for {@link CachedVolume#markUploaded}. */
    long writeStamp(long chunk) throws IOException {
        volume.check(chunk << chunkShift, 1);
        Lock lock = cache.locks.of(chunkId(chunk)).readLock();
        lock.lock();
        try {
            ChunkRecord record = cache.record(state, chunk);
            return record == null ? -1 : record.stamp();
        } finally {
            lock.unlock();
        }
    }

    CachedVolume.ChunkImage readChunk(long chunk) throws IOException {
        volume.check(chunk << chunkShift, 1);
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
            return record == null ? new CachedVolume.ChunkImage(chunk, data.array(), true, 0, 0)
                    : new CachedVolume.ChunkImage(chunk, data.array(), zero, record.dirtyGeneration(), record.stamp());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that a chunk's {@link CachedVolume.ChunkImage} reached the object store as {@code remoteRef} (null: it was all
     * zeros and nothing was stored) and clears its dirty mark, in one batch, unless a write changed the chunk since
     * (then nothing changes and this returns false). A clean chunk of a cached volume becomes evictable. A chunk
     * with frozen copies must have those uploaded first, oldest first, or the remote reference would go back in time.
     */
    boolean markUploaded(long chunk, long stamp, byte[] remoteRef) throws IOException {
        Lock lock = cache.locks.of(chunkId(chunk)).writeLock();
        lock.lock();
        try {
            if (!frozenChunks(chunk, 1).stream().filter(f -> f.index() == chunk).toList().isEmpty()) {
                throw new IllegalStateException("chunk " + chunk + " of volume " + name
                        + " has frozen copies not yet uploaded; they go first");
            }
            ChunkRecord before = cache.record(state, chunk);
            if (before == null || before.stamp() != stamp || !before.isDirty()) {
                return false;
            }
            ChunkRecord after = before.copy();
            after.markClean();
            // A clean chunk of zeros with no remote content says nothing an absent record would not.
            boolean drop = after.isEmptyAndClean() && remoteRef == null;
            try (CacheDatabase.Batch batch = database.batch()) {
                if (drop) {
                    batch.deleteChunk(id, chunk);
                } else {
                    batch.putChunk(id, chunk, after);
                }
                setRemote(batch, chunk, remoteRef);
                database.write(batch.deleteDirty(id, chunk).deleteUploading(id, chunk), false);
            }
            cache.publish(state, chunk, before, drop ? null : after);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void setRemote(CacheDatabase.Batch batch, long chunk, byte[] remoteRef) throws IOException {
        if (remoteRef == null) {
            batch.deleteRemote(id, chunk);
        } else {
            batch.putRemote(id, chunk, remoteRef);
        }
    }

    /** Up to {@code max} frozen chunks from chunk {@code fromChunk} on, by chunk, then oldest generation first. */
    List<CachedVolume.FrozenChunkId> frozenChunks(long fromChunk, int max) {
        List<CachedVolume.FrozenChunkId> frozen = new ArrayList<>();
        database.frozenChunks(id, fromChunk, max, (chunk, generation, value) ->
                frozen.add(new CachedVolume.FrozenChunkId(chunk, generation)));
        return frozen;
    }

    /** A frozen chunk's whole content (its stamp is 0: frozen content never changes). */
    CachedVolume.ChunkImage readFrozen(long chunk, long generation) throws IOException {
        FrozenChunk frozen = loadFrozen(chunk, generation);
        byte[] data = pages.thaw(chunk, frozen);
        boolean zero = frozen.record().storedPages() == 0 && PageCodec.isZero(data, 0, data.length);
        return new CachedVolume.ChunkImage(chunk, data, zero, generation, 0);
    }

    private FrozenChunk loadFrozen(long chunk, long generation) throws IOException {
        byte[] value = database.frozen(id, chunk, generation);
        if (value == null) {
            throw new IOException("volume " + name + " has no copy of chunk " + chunk + " frozen for generation "
                    + generation);
        }
        return FrozenChunk.decode(value, pagesPerChunk);
    }

    /**
     * Records that a frozen copy reached the object store as {@code remoteRef} (null: zeros) and drops it, in one
     * batch. It must be the chunk's oldest frozen copy.
     */
    void markFrozenUploaded(long chunk, long generation, byte[] remoteRef) throws IOException {
        Lock lock = cache.locks.of(chunkId(chunk)).writeLock();
        lock.lock();
        try {
            List<CachedVolume.FrozenChunkId> oldest = frozenChunks(chunk, 1);
            if (oldest.isEmpty() || oldest.get(0).index() != chunk || oldest.get(0).generation() != generation) {
                throw new IllegalStateException("chunk " + chunk + " of volume " + name + " generation "
                        + generation + " is not its oldest frozen copy");
            }
            FrozenChunk frozen = loadFrozen(chunk, generation);
            try (CacheDatabase.Batch batch = database.batch()) {
                setRemote(batch, chunk, remoteRef);
                database.write(batch.deleteFrozen(id, chunk, generation).deleteUploading(id, chunk), false);
            }
            cache.accountFrozen(state, frozen.record(), -1);
        } finally {
            lock.unlock();
        }
    }

    /** Notes that the chunk's content {@code ref} is about to be uploaded; recording the upload removes the note. */
    void noteUploading(long chunk, byte[] ref) throws IOException {
        volume.check(chunk << chunkShift, 1);
        database.noteUploading(id, chunk, ref);
    }

    /** The reference an unrecorded upload of the chunk began with (it may be in the store), or null. */
    byte[] uploadingRef(long chunk) throws IOException {
        return database.uploadingRef(id, chunk);
    }

    /** Where chunk {@code chunk}'s latest uploaded content is, or null. */
    byte[] remoteRef(long chunk) throws IOException {
        return database.remoteRef(id, chunk);
    }

    /** Up to {@code max} remote references from chunk {@code fromChunk} on, in chunk order. */
    List<CachedVolume.RemoteRef> remoteRefs(long fromChunk, int max) {
        List<CachedVolume.RemoteRef> refs = new ArrayList<>();
        database.remoteRefs(id, fromChunk, max, (chunk, ref) ->
                refs.add(new CachedVolume.RemoteRef(chunk, ref)));
        return refs;
    }

    /**
     * Names the remote content of chunks this volume holds nothing of (a volume created from a snapshot): they read
     * from the object store on demand from now on. Chunks with a record are refused, since their pages would hide it.
     */
    void putRemoteRefs(List<CachedVolume.RemoteRef> refs) throws IOException {
        try (CacheDatabase.Batch batch = database.batch()) {
            for (CachedVolume.RemoteRef ref : refs) {
                volume.check(ref.index() << chunkShift, 1);
                Lock lock = cache.locks.of(chunkId(ref.index())).readLock();
                lock.lock();
                try {
                    if (cache.record(state, ref.index()) != null) {
                        throw new IllegalStateException("chunk " + ref.index() + " of volume " + name
                                + " already holds data");
                    }
                } finally {
                    lock.unlock();
                }
                batch.putRemote(id, ref.index(), ref.ref());
            }
            database.write(batch, true);
        }
    }
}
