package org.storagegateway.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.storagegateway.cache.BlockCache.VolumeState;
import org.storagegateway.cache.policy.HotTier;
import org.storagegateway.cache.store.CacheDatabase;
import org.storagegateway.cache.store.ChunkRecord;
import org.storagegateway.cache.store.CorruptCacheException;
import org.storagegateway.cache.store.FrozenChunk;
import org.storagegateway.cache.store.PageCodec;
import org.storagegateway.cache.store.VolumeRecord;

/**
 * The page-level work of one volume, done with its chunk's lock held by the caller ({@link CachedVolume}): copying
 * pages out (hot tier, then RocksDB), adding written pages to a batch, and filling a cached volume's chunk from its
 * source.
 */
final class ChunkPages {
    private static final byte[] ZEROS = new byte[64 << 10];

    private final BlockCache cache;
    private final CacheDatabase database;
    private final String name;
    private final VolumeState state;
    private final ChunkSource chunkSource;
    private final int id;
    private final int pageSize;
    private final int pageShift;
    private final int chunkSize;
    private final int pagesPerChunk;

    ChunkPages(BlockCache cache, String name, VolumeRecord layout, ChunkSource chunkSource) {
        this.cache = cache;
        this.database = cache.database;
        this.name = name;
        this.state = cache.state(layout.id());
        this.chunkSource = chunkSource;
        this.id = layout.id();
        this.pageSize = layout.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.chunkSize = layout.chunkSize();
        this.pagesPerChunk = chunkSize / pageSize;
    }

    /**
     * Whether pages {@code [firstPage, lastPage]} of a chunk must come from the source first: some are unknown, or
     * the cache holds nothing of a chunk that has a remote reference.
     */
    boolean needsSource(long chunk, ChunkRecord record, int firstPage, int lastPage) throws IOException {
        if (record == null) {
            return remoteRef(chunk) != null;
        }
        for (int page = firstPage; page <= lastPage; page++) {
            if (!record.isKnown(page)) {
                return true;
            }
        }
        return false;
    }

    /** Where the chunk's latest uploaded content is, or null. */
    byte[] remoteRef(long chunk) throws IOException {
        return database.remoteRef(id, chunk);
    }

    /** Copies {@code [inChunk, inChunk + length)} of a chunk whose pages there are all known. Chunk lock held. */
    void copyOut(ChunkRecord record, long chunk, int inChunk, int length, ByteBuffer destination,
                         boolean populate) throws IOException {
        int firstPage = inChunk >>> pageShift;
        int lastPage = (inChunk + length - 1) >>> pageShift;
        int count = lastPage - firstPage + 1;
        byte[][] pages = new byte[count][];
        long[] wanted = new long[count];
        int[] wantedSlot = new int[count];
        int wantedCount = 0;
        long base = chunk * pagesPerChunk;
        for (int i = 0; i < count; i++) {
            int page = firstPage + i;
            if (record == null || !record.isStored(page)) {
                continue;
            }
            pages[i] = cache.hotTier.get(HotTier.key(id, base + page));
            if (pages[i] == null) {
                wanted[wantedCount] = base + page;
                wantedSlot[wantedCount++] = i;
            }
        }
        byte[][] encoded = null;
        if (wantedCount > 0) {
            cache.hotMisses.add(wantedCount);
            // One page (a small random read) is a plain get; several are one native multi-get.
            List<byte[]> values = wantedCount == 1 ? Collections.singletonList(database.page(id, wanted[0]))
                    : database.pages(id, wanted, wantedCount);
            encoded = new byte[count][];
            for (int w = 0; w < wantedCount; w++) {
                byte[] value = values.get(w);
                if (value == null) {
                    throw new CorruptCacheException("page " + wanted[w] + " of volume " + name
                            + " is recorded as stored but missing");
                }
                if (populate) {
                    byte[] page = new byte[pageSize];
                    cache.codec.decode(value, page, 0);
                    pages[wantedSlot[w]] = page;
                    cache.hotTier.put(HotTier.key(id, wanted[w]), page);
                } else {
                    encoded[wantedSlot[w]] = value;
                }
            }
        }
        cache.hotHits.add(count - wantedCount - zeroCount(pages, encoded));
        int position = inChunk;
        int end = inChunk + length;
        byte[] partial = null;
        for (int i = 0; i < count; i++) {
            int pageStart = (firstPage + i) << pageShift;
            int from = position - pageStart;
            int to = Math.min(end, pageStart + pageSize) - pageStart;
            if (pages[i] != null) {
                destination.put(pages[i], from, to - from);
            } else if (encoded == null || encoded[i] == null) {
                putZeros(destination, to - from);
            } else if (to - from == pageSize) {
                // A page not kept in the hot tier goes from its stored form straight into the destination.
                cache.codec.decode(encoded[i], destination);
            } else {
                partial = partial == null ? new byte[pageSize] : partial;
                cache.codec.decode(encoded[i], partial, 0);
                destination.put(partial, from, to - from);
            }
            position = pageStart + to;
        }
    }

    private static int zeroCount(byte[][] pages, byte[][] encoded) {
        int zeros = 0;
        for (int i = 0; i < pages.length; i++) {
            zeros += pages[i] == null && (encoded == null || encoded[i] == null) ? 1 : 0;
        }
        return zeros;
    }

    private static void putZeros(ByteBuffer destination, int length) {
        while (length > 0) {
            int n = Math.min(length, ZEROS.length);
            destination.put(ZEROS, 0, n);
            length -= n;
        }
    }

    /**
     * Fills every page of a chunk the cache does not know from the source, keeping pages written since it left the
     * cache; dirtiness is unchanged. Chunk write lock held. Returns the new record.
     */
    ChunkRecord fetchLocked(long chunk, ChunkRecord before) throws IOException {
        cache.readMisses.increment();
        return prefetchLocked(chunk, before);
    }

    /** {@link #fetchLocked} ahead of any read that needs it: no read missed, so no miss is counted. */
    ChunkRecord prefetchLocked(long chunk, ChunkRecord before) throws IOException {
        byte[] data = new byte[chunkSize];
        boolean present = fetch(chunk, remoteRef(chunk), data);
        ChunkRecord after = before == null ? ChunkRecord.empty(pagesPerChunk, false) : before.copy();
        long base = chunk * pagesPerChunk;
        try (CacheDatabase.Batch batch = database.batch()) {
            for (int page = 0; page < pagesPerChunk; page++) {
                if (after.isKnown(page)) {
                    continue;
                }
                int offset = page << pageShift;
                boolean stored = present && !PageCodec.isZero(data, offset, pageSize);
                if (stored) {
                    batch.putPage(id, base + page, cache.codec.encode(data, offset));
                }
                after.setPage(page, stored);
            }
            batch.putChunk(id, chunk, after);
            database.write(batch, false);
        }
        cache.publish(state, chunk, before, after);
        return after;
    }
    /** Reads a chunk's remote content into {@code data}; false (zeros) when there is none. */
    boolean fetch(long chunk, byte[] ref, byte[] data) throws IOException {
        if (ref == null) {
            return false;
        }
        if (chunkSource == null) {
            throw new IOException("chunk " + chunk + " of volume " + name
                    + " is in the object store, but the volume was opened without a source to read it from");
        }
        return chunkSource.read(chunk, ref, data);
    }

    boolean needsSourceForPartialPages(long chunk, ChunkRecord record, int from, int to) throws IOException {
        int firstPage = from >>> pageShift;
        int lastPage = (to - 1) >>> pageShift;
        boolean firstPartial = (from & (pageSize - 1)) != 0 || to - from < pageSize;
        boolean lastPartial = (to & (pageSize - 1)) != 0;
        return firstPartial && needsSource(chunk, record, firstPage, firstPage)
                || lastPartial && needsSource(chunk, record, lastPage, lastPage);
    }

    /** Adds the pages of {@code [from, to)} of a chunk to a batch and to its new record. Chunk lock held. */
    void writePages(CacheDatabase.Batch batch, long chunk, ChunkRecord before, ChunkRecord after, int from,
                            int to, ByteBuffer source) throws IOException {
        long base = chunk * pagesPerChunk;
        byte[] scratch = null;
        for (int page = from >>> pageShift; page <= (to - 1) >>> pageShift; page++) {
            int pageStart = page << pageShift;
            int start = Math.max(from, pageStart) - pageStart;
            int stop = Math.min(to, pageStart + pageSize) - pageStart;
            byte[] content;
            int contentOffset;
            if (stop - start == pageSize && source != null && source.hasArray()) {
                content = source.array();
                contentOffset = source.arrayOffset() + source.position();
                source.position(source.position() + pageSize);
            } else {
                if (scratch == null) {
                    scratch = new byte[pageSize];
                }
                content = scratch;
                contentOffset = 0;
                if (stop - start < pageSize) {
                    readPage(before, base + page, page, scratch);
                }
                if (source == null) {
                    Arrays.fill(scratch, start, stop, (byte) 0);
                } else {
                    source.get(scratch, start, stop - start);
                }
            }
            long pageIndex = base + page;
            cache.hotTier.invalidate(HotTier.key(id, pageIndex));
            if (PageCodec.isZero(content, contentOffset, pageSize)) {
                if (before != null && before.isStored(page)) {
                    batch.deletePage(id, pageIndex);
                }
                after.setPage(page, false);
            } else {
                byte[] encoded = cache.codec.encode(content, contentOffset);
                batch.putPage(id, pageIndex, encoded);
                after.setPage(page, true);
                cache.pageBytesWritten.add(pageSize);
                cache.storedBytesWritten.add(encoded.length);
            }
        }
    }

    /** Reads one known page's current content into {@code into}. Chunk lock held. */
    private void readPage(ChunkRecord record, long pageIndex, int page, byte[] into) throws IOException {
        if (record == null || !record.isStored(page)) {
            Arrays.fill(into, (byte) 0);
            return;
        }
        byte[] hot = cache.hotTier.get(HotTier.key(id, pageIndex));
        if (hot != null) {
            System.arraycopy(hot, 0, into, 0, pageSize);
            return;
        }
        byte[] value = database.page(id, pageIndex);
        if (value == null) {
            throw new CorruptCacheException("page " + pageIndex + " of volume " + name
                    + " is recorded as stored but missing");
        }
        cache.codec.decode(value, into, 0);
    }

    /**
     * The chunk's content now, as a frozen copy for the generation that last wrote it: its record, its stored pages
     * as encoded, and the remote reference of the pages it never held. Chunk lock held.
     */
    FrozenChunk freeze(long chunk, ChunkRecord record) throws IOException {
        int count = record.storedPages();
        long[] wanted = new long[count];
        int n = 0;
        long base = chunk * pagesPerChunk;
        for (int page = 0; page < pagesPerChunk; page++) {
            if (record.isStored(page)) {
                wanted[n++] = base + page;
            }
        }
        List<byte[]> encoded = count == 0 ? List.of() : database.pages(id, wanted, count);
        for (int i = 0; i < count; i++) {
            if (encoded.get(i) == null) {
                throw new CorruptCacheException("page " + wanted[i] + " of volume " + name
                        + " is recorded as stored but missing");
            }
        }
        return new FrozenChunk(record.copy(), record.isComplete() ? null : remoteRef(chunk), encoded);
    }

    /** A frozen copy's whole content, its unknown pages filled from the remote content it was based on. */
    byte[] thaw(long chunk, FrozenChunk frozen) throws IOException {
        byte[] data = new byte[chunkSize];
        ChunkRecord record = frozen.record();
        if (!record.isComplete()) {
            byte[] base = new byte[chunkSize];
            if (fetch(chunk, frozen.baseRef(), base)) {
                for (int page = 0; page < pagesPerChunk; page++) {
                    if (!record.isKnown(page)) {
                        System.arraycopy(base, page << pageShift, data, page << pageShift, pageSize);
                    }
                }
            }
        }
        int next = 0;
        for (int page = 0; page < pagesPerChunk; page++) {
            if (record.isStored(page)) {
                cache.codec.decode(frozen.encodedPages().get(next++), data, page << pageShift);
            }
        }
        return data;
    }
}
