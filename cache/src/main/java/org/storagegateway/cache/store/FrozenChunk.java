package org.storagegateway.cache.store;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A chunk's content as it was when a newer generation first overwrote it while it was still dirty: the pages a
 * pending snapshot needs (copy-on-write). It keeps the chunk's record, its pages as the {@link PageCodec} stored them,
 * and, when some pages were never in the cache, the remote reference they were to come from at that moment.
 */
public final class FrozenChunk {
    private static final byte VERSION = 1;

    private final ChunkRecord record;
    private final byte[] baseRef;
    private final List<byte[]> encodedPages;

    /**
     * @param record       the chunk's record at freezing
     * @param baseRef      the remote reference of its unknown pages, null when every page is known
     * @param encodedPages its stored pages in page order, as the page codec encoded them
     */
    public FrozenChunk(ChunkRecord record, byte[] baseRef, List<byte[]> encodedPages) {
        if (encodedPages.size() != record.storedPages()) {
            throw new IllegalArgumentException(encodedPages.size() + " pages for a record storing "
                    + record.storedPages());
        }
        this.record = record;
        this.baseRef = baseRef;
        this.encodedPages = encodedPages;
    }

    public ChunkRecord record() {
        return record;
    }

    public byte[] baseRef() {
        return baseRef;
    }

    /** The encoded stored pages, in page order. */
    public List<byte[]> encodedPages() {
        return encodedPages;
    }

    public byte[] encode() {
        byte[] recordBytes = record.encode();
        int length = 1 + 4 + recordBytes.length + 4 + (baseRef == null ? 0 : baseRef.length) + 4;
        for (byte[] page : encodedPages) {
            length += 4 + page.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length).put(VERSION).putInt(recordBytes.length).put(recordBytes);
        out.putInt(baseRef == null ? -1 : baseRef.length);
        if (baseRef != null) {
            out.put(baseRef);
        }
        out.putInt(encodedPages.size());
        for (byte[] page : encodedPages) {
            out.putInt(page.length).put(page);
        }
        return out.array();
    }

    /** Decodes a frozen chunk of {@code pages} pages. */
    public static FrozenChunk decode(byte[] value, int pages) throws CorruptCacheException {
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            if (in.get() != VERSION) {
                throw new CorruptCacheException("a frozen chunk of unknown version " + value[0]);
            }
            byte[] recordBytes = new byte[in.getInt()];
            in.get(recordBytes);
            ChunkRecord record = ChunkRecord.decode(recordBytes, pages);
            int refLength = in.getInt();
            byte[] baseRef = null;
            if (refLength >= 0) {
                baseRef = new byte[refLength];
                in.get(baseRef);
            }
            int count = in.getInt();
            if (count != record.storedPages()) {
                throw new CorruptCacheException("a frozen chunk with " + count + " pages for a record storing "
                        + record.storedPages());
            }
            List<byte[]> encoded = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] page = new byte[in.getInt()];
                in.get(page);
                encoded.add(page);
            }
            if (in.hasRemaining()) {
                throw new CorruptCacheException("a frozen chunk with " + in.remaining() + " bytes past its end");
            }
            return new FrozenChunk(record, baseRef, encoded);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new CorruptCacheException("a truncated frozen chunk of " + value.length + " bytes");
        }
    }
}
