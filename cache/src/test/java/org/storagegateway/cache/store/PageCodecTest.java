package org.storagegateway.cache.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PageCodecTest {
    private final PageCodec codec = new PageCodec(4096);

    @Test
    void compressiblePagesShrinkAndRandomOnesCostOneByte() throws CorruptCacheException {
        byte[] text = "the quick brown fox jumps over the lazy dog. ".repeat(100).substring(0, 4096)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] encoded = codec.encode(text, 0);
        assertEquals(PageCodec.LZ4, encoded[0]);
        assertTrue(encoded.length < 400, "compressed to " + encoded.length);
        byte[] decoded = new byte[4096];
        codec.decode(encoded, decoded, 0);
        assertArrayEquals(text, decoded);

        byte[] noise = new byte[8192];
        new Random(1).nextBytes(noise);
        byte[] raw = codec.encode(noise, 4096);
        assertEquals(PageCodec.RAW, raw[0]);
        assertEquals(4097, raw.length);
        codec.decode(raw, decoded, 0);
        assertArrayEquals(Arrays.copyOfRange(noise, 4096, 8192), decoded);
    }

    @Test
    void valuesThatCannotBeAPageAreCorruptNotMisread() {
        byte[] page = new byte[4096];
        byte[] encoded = codec.encode(page, 0);
        assertThrows(CorruptCacheException.class, () -> codec.decode(new byte[0], page, 0));
        assertThrows(CorruptCacheException.class, () -> codec.decode(new byte[] {7, 1, 2}, page, 0));
        assertThrows(CorruptCacheException.class, () -> codec.decode(new byte[100], page, 0));
        assertThrows(CorruptCacheException.class,
                () -> codec.decode(Arrays.copyOf(encoded, encoded.length - 1), page, 0));
        assertThrows(CorruptCacheException.class, () -> new PageCodec(8192).decode(encoded, new byte[8192], 0));
    }

    @Test
    void zeroDetectionLooksAtEveryByte() {
        byte[] data = new byte[200_000];
        assertTrue(PageCodec.isZero(data, 0, data.length));
        data[199_999] = 1;
        assertFalse(PageCodec.isZero(data, 100, data.length - 100));
        assertTrue(PageCodec.isZero(data, 100, data.length - 101));
    }
}
