package org.storagegateway.cache.store;

import java.nio.ByteBuffer;
import java.util.Arrays;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * One page as stored in RocksDB: a format byte, then either the page LZ4-compressed or, when LZ4 would not save
 * anything, the page as it is. RocksDB's own compression stays off for these values (README.md, "Cache").
 */
public final class PageCodec {
    static final byte RAW = 0;
    static final byte LZ4 = 1;

    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    private final LZ4Compressor compressor = FACTORY.fastCompressor();
    private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();
    private final int pageSize;
    private final ThreadLocal<byte[]> scratch;

    public PageCodec(int pageSize) {
        this.pageSize = pageSize;
        int bound = 1 + compressor.maxCompressedLength(pageSize);
        this.scratch = ThreadLocal.withInitial(() -> new byte[bound]);
    }

    /** The page size this codec encodes. */
    public int pageSize() {
        return pageSize;
    }

    /** Encodes {@code pageSize} bytes of {@code page} from {@code offset}. */
    public byte[] encode(byte[] page, int offset) {
        byte[] out = scratch.get();
        int compressed = compressor.compress(page, offset, pageSize, out, 1, out.length - 1);
        if (compressed + 1 >= pageSize) {
            byte[] raw = new byte[pageSize + 1];
            raw[0] = RAW;
            System.arraycopy(page, offset, raw, 1, pageSize);
            return raw;
        }
        out[0] = LZ4;
        return Arrays.copyOf(out, compressed + 1);
    }

    /** Decodes a stored page into {@code page} at {@code offset}; a value that does not decode whole is corrupt. */
    public void decode(byte[] stored, byte[] page, int offset) throws CorruptCacheException {
        if (stored.length == 0) {
            throw new CorruptCacheException("an empty page value");
        }
        switch (stored[0]) {
            case RAW -> {
                if (stored.length != pageSize + 1) {
                    throw new CorruptCacheException("a raw page of " + (stored.length - 1) + " bytes, expected "
                            + pageSize);
                }
                System.arraycopy(stored, 1, page, offset, pageSize);
            }
            case LZ4 -> {
                int length;
                try {
                    length = decompressor.decompress(stored, 1, stored.length - 1, page, offset, pageSize);
                } catch (LZ4Exception e) {
                    throw new CorruptCacheException("a page that does not decompress: " + e.getMessage());
                }
                if (length != pageSize) {
                    throw new CorruptCacheException("a page decompressing to " + length + " bytes, expected "
                            + pageSize);
                }
            }
            default -> throw new CorruptCacheException("a page in unknown format " + stored[0]);
        }
    }

    /**
     * Decodes a stored page straight into {@code destination} at its position, which advances by a page: a large
     * read fills the transport's buffer without a page-sized copy in between.
     */
    public void decode(byte[] stored, ByteBuffer destination) throws CorruptCacheException {
        if (stored.length == 0) {
            throw new CorruptCacheException("an empty page value");
        }
        int at = destination.position();
        switch (stored[0]) {
            case RAW -> {
                if (stored.length != pageSize + 1) {
                    throw new CorruptCacheException("a raw page of " + (stored.length - 1) + " bytes, expected "
                            + pageSize);
                }
                destination.put(stored, 1, pageSize);
            }
            case LZ4 -> {
                int length;
                try {
                    length = decompressor.decompress(ByteBuffer.wrap(stored), 1, stored.length - 1, destination, at,
                            pageSize);
                } catch (LZ4Exception e) {
                    throw new CorruptCacheException("a page that does not decompress: " + e.getMessage());
                }
                if (length != pageSize) {
                    throw new CorruptCacheException("a page decompressing to " + length + " bytes, expected "
                            + pageSize);
                }
                destination.position(at + pageSize);
            }
            default -> throw new CorruptCacheException("a page in unknown format " + stored[0]);
        }
    }

    /** Whether {@code length} bytes of {@code data} from {@code offset} are all zero. */
    public static boolean isZero(byte[] data, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i += ZEROS.length) {
            int n = Math.min(ZEROS.length, end - i);
            if (Arrays.mismatch(data, i, i + n, ZEROS, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] ZEROS = new byte[65536];
}
