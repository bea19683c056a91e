package org.storagegateway.gateway.glacier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The tree hash against its definition: plain SHA-256 up to 1 MiB, then hashes of concatenated pairs. */
class TreeHashTest {
    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    @Test
    void followsItsDefinitionForOneTwoAndThreeLeaves() throws Exception {
        byte[] data = new byte[(2 << 20) + 100];
        new Random(5).nextBytes(data);
        HexFormat hex = HexFormat.of();
        byte[] small = Arrays.copyOf(data, 1000);
        assertEquals(hex.formatHex(sha256(small)), TreeHash.of(small));
        assertEquals(hex.formatHex(sha256(new byte[0])), TreeHash.of(new byte[0]));
        byte[] first = sha256(Arrays.copyOfRange(data, 0, 1 << 20));
        byte[] second = sha256(Arrays.copyOfRange(data, 1 << 20, 2 << 20));
        byte[] third = sha256(Arrays.copyOfRange(data, 2 << 20, data.length));
        assertEquals(hex.formatHex(sha256(first, second)), TreeHash.of(Arrays.copyOf(data, 2 << 20)));
        // An odd leaf is carried up unchanged, then paired at the next level.
        assertEquals(hex.formatHex(sha256(sha256(first, second), third)), TreeHash.of(data));
    }

    @Test
    void aStreamHashesAsTheBytesDo() throws IOException {
        byte[] data = new byte[(3 << 20) + 7];
        new Random(6).nextBytes(data);
        assertEquals(TreeHash.of(data), TreeHash.root(TreeHash.leaves(new ByteArrayInputStream(data))));
        assertEquals(TreeHash.of(new byte[0]), TreeHash.root(TreeHash.leaves(new ByteArrayInputStream(new byte[0]))));
    }
}
