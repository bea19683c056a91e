package org.storagegateway.cache.store;

import java.nio.ByteBuffer;

/**
 * What the cache knows of one chunk, kept in RocksDB beside its pages and written in the same batch: which pages are
 * stored (the others read as zeros), which pages are known at all (a cached volume may hold only the pages written
 * since the chunk left the cache; the rest are in the object store), and the generation of the latest write not yet
 * uploaded (0: clean), where a generation counts the volume's snapshots: a chunk dirty in an older generation than the
 * volume's holds data a pending snapshot needs.
 *
 * <p>Mutable, and guarded by its chunk's lock: writers change a {@link #copy()} and publish it after their batch
 * committed.
 */
public final class ChunkRecord {
    private static final byte VERSION = 1;
    private static final byte COMPLETE = 1;

    private final int pages;
    private final long[] stored;
    private final long[] known;
    private long dirtyGeneration;
    /** Not persisted: a process-wide counter value that changes with every publication, for upload hand-offs. */
    private long stamp;

    private ChunkRecord(int pages, long[] stored, long[] known, long dirtyGeneration) {
        this.pages = pages;
        this.stored = stored;
        this.known = known;
        this.dirtyGeneration = dirtyGeneration;
    }

    /** A chunk with nothing stored: every page known to be zero when {@code complete}, else none known. */
    public static ChunkRecord empty(int pages, boolean complete) {
        long[] known = new long[words(pages)];
        ChunkRecord record = new ChunkRecord(pages, new long[words(pages)], known, 0);
        if (complete) {
            record.markKnown(0, pages);
        }
        return record;
    }

    private static int words(int pages) {
        return (pages + 63) >>> 6;
    }

    /** A copy to change. */
    public ChunkRecord copy() {
        return new ChunkRecord(pages, stored.clone(), known.clone(), dirtyGeneration);
    }

    public int pages() {
        return pages;
    }

    public boolean isStored(int page) {
        return (stored[page >>> 6] & 1L << page) != 0;
    }

    public boolean isKnown(int page) {
        return (known[page >>> 6] & 1L << page) != 0;
    }

    /** Whether every page is known, so the chunk never needs the object store. */
    public boolean isComplete() {
        int count = 0;
        for (long word : known) {
            count += Long.bitCount(word);
        }
        return count == pages;
    }

    public int storedPages() {
        int count = 0;
        for (long word : stored) {
            count += Long.bitCount(word);
        }
        return count;
    }

    public long dirtyGeneration() {
        return dirtyGeneration;
    }

    public long stamp() {
        return stamp;
    }

    public void setStamp(long value) {
        stamp = value;
    }

    public boolean isDirty() {
        return dirtyGeneration != 0;
    }

    /** Marks a page stored or zero; either way it is known from now on. */
    public void setPage(int page, boolean isStored) {
        if (isStored) {
            stored[page >>> 6] |= 1L << page;
        } else {
            stored[page >>> 6] &= ~(1L << page);
        }
        known[page >>> 6] |= 1L << page;
    }

    /** Marks pages {@code [from, to)} known (filled from the object store, or zero). */
    public void markKnown(int from, int to) {
        for (int page = from; page < to; page++) {
            known[page >>> 6] |= 1L << page;
        }
    }

    /** Records a write made in volume generation {@code generation} (at least 1). */
    public void markDirty(long generation) {
        dirtyGeneration = generation;
    }

    public void markClean() {
        dirtyGeneration = 0;
    }

    /** Whether this record says nothing an absent record would not: nothing stored, nothing to upload. */
    public boolean isEmptyAndClean() {
        return dirtyGeneration == 0 && storedPages() == 0;
    }

    public byte[] encode() {
        boolean complete = isComplete();
        int words = words(pages);
        ByteBuffer out = ByteBuffer.allocate(2 + 8 + 4 + 8 * words * (complete ? 1 : 2));
        out.put(VERSION).put(complete ? COMPLETE : 0).putLong(dirtyGeneration).putInt(pages);
        for (long word : stored) {
            out.putLong(word);
        }
        if (!complete) {
            for (long word : known) {
                out.putLong(word);
            }
        }
        return out.array();
    }

    /** Decodes a record written for chunks of {@code pages} pages. */
    public static ChunkRecord decode(byte[] value, int pages) throws CorruptCacheException {
        int words = words(pages);
        if (value.length < 14 || value[0] != VERSION) {
            throw new CorruptCacheException("a chunk record of unknown version or length " + value.length);
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        in.get();
        boolean complete = in.get() == COMPLETE;
        long dirty = in.getLong();
        int recordedPages = in.getInt();
        if (recordedPages != pages || value.length != 14 + 8 * words * (complete ? 1 : 2)) {
            throw new CorruptCacheException("a chunk record for " + recordedPages + " pages, expected " + pages);
        }
        ChunkRecord record = new ChunkRecord(pages, new long[words], new long[words], dirty);
        for (int i = 0; i < words; i++) {
            record.stored[i] = in.getLong();
        }
        if (complete) {
            record.markKnown(0, pages);
        } else {
            for (int i = 0; i < words; i++) {
                record.known[i] = in.getLong();
            }
        }
        return record;
    }
}
