package org.storagegateway.cache.store;

import java.util.Arrays;

/**
 * RocksDB keys: big-endian, so that a volume's pages sort by page index and a chunk's pages form one key range.
 * Pages: volume id (4 bytes), page index (8). Chunks, dirty marks and remote references: volume id (4 bytes), chunk
 * index (8). Frozen chunks: volume id (4), chunk index (8), generation (8), so a chunk's frozen copies sort by age.
 */
public final class Keys {
    public static final int LENGTH = 12;

    private Keys() {
    }

    /** The key of a page or chunk {@code index} of {@code volume}. */
    public static byte[] of(int volume, long index) {
        byte[] key = new byte[LENGTH];
        key[0] = (byte) (volume >>> 24);
        key[1] = (byte) (volume >>> 16);
        key[2] = (byte) (volume >>> 8);
        key[3] = (byte) volume;
        for (int i = 0; i < 8; i++) {
            key[4 + i] = (byte) (index >>> (56 - 8 * i));
        }
        return key;
    }

    /** The key of the copy of chunk {@code index} of {@code volume} frozen for generation {@code generation}. */
    public static byte[] frozen(int volume, long index, long generation) {
        byte[] key = Arrays.copyOf(of(volume, index), LENGTH + 8);
        for (int i = 0; i < 8; i++) {
            key[LENGTH + i] = (byte) (generation >>> (56 - 8 * i));
        }
        return key;
    }

    /** The generation of a frozen chunk's key. */
    public static long generation(byte[] key) {
        long generation = 0;
        for (int i = 0; i < 8; i++) {
            generation = generation << 8 | (key[LENGTH + i] & 0xff);
        }
        return generation;
    }

    /** The volume id of a key. */
    public static int volume(byte[] key) {
        return (key[0] & 0xff) << 24 | (key[1] & 0xff) << 16 | (key[2] & 0xff) << 8 | key[3] & 0xff;
    }

    /** The page or chunk index of a key. */
    public static long index(byte[] key) {
        long index = 0;
        for (int i = 0; i < 8; i++) {
            index = index << 8 | (key[4 + i] & 0xff);
        }
        return index;
    }
}
