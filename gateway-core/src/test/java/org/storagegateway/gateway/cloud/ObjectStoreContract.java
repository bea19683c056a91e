package org.storagegateway.gateway.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * What the gateway needs of any S3-compatible store, over real HTTP: whole objects by key under a prefix, listing
 * past one page, deletion, and the chunk store and encryption at rest over it. Each store under test extends this.
 */
abstract class ObjectStoreContract {
    /** The store, on a bucket of its own under {@code prefix}. */
    protected abstract S3ObjectStore store(String prefix) throws Exception;

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void objectsGoAndComeBackWholeUnderThePrefixAndListPastOnePage() throws Exception {
        try (S3ObjectStore store = store("gw/")) {
            byte[] big = random(3 << 20, 1);
            store.put("a/big", big);
            assertArrayEquals(big, store.get("a/big").orElseThrow());
            assertTrue(store.exists("a/big"));
            assertFalse(store.exists("a/none"));
            assertTrue(store.get("a/none").isEmpty(), "a missing object is no error");
            for (int i = 0; i < 1005; i++) {
                store.put(String.format("many/%04d", i), new byte[] {(byte) i});
            }
            List<ObjectStore.ObjectInfo> listed = store.list("many/");
            assertEquals(1005, listed.size(), "ListObjectsV2 pages through 1,000 at a time");
            assertEquals("many/0000", listed.get(0).key(), "keys come back relative to the prefix");
            assertEquals(1, listed.get(0).size());
            store.delete("a/big");
            store.delete("a/big");
            assertFalse(store.exists("a/big"));
            assertTrue(store.traffic().bytesUploaded() >= big.length);
        }
    }

    @Test
    void identicalChunksAreOneObjectAndADamagedOneIsAnErrorNotData() throws Exception {
        try (S3ObjectStore store = store("")) {
            ObjectChunkStore chunks = new ObjectChunkStore(store, null);
            byte[] chunk = random(1 << 20, 2);
            Arrays.fill(chunk, 0, 1 << 19, (byte) 7);
            ChunkRef ref = chunks.put(chunk, chunk.length, false);
            assertEquals(ref, chunks.put(chunk.clone(), chunk.length, true), "the same content, the same name");
            assertEquals(1, store.list("chunks/").size());
            assertTrue(store.list("chunks/").get(0).size() < chunk.length, "compressible chunks are compressed");
            byte[] back = new byte[1 << 20];
            assertEquals(chunk.length, chunks.get(ref, back));
            assertArrayEquals(chunk, back);
            store.put(chunks.keyOf(ref), chunks.encode(random(1 << 20, 3), 1 << 20));
            IOException damaged = assertThrows(IOException.class, () -> chunks.get(ref, back));
            assertTrue(damaged.getMessage().contains("does not hold the content"), damaged.getMessage());
        }
    }

    @Test
    void sealedObjectsRevealNothingAndRefuseTamperingAndUnknownKeys() throws Exception {
        byte[] key1 = random(32, 4);
        byte[] key2 = random(32, 5);
        try (S3ObjectStore store = store("")) {
            SealedObjectStore sealed = new SealedObjectStore(store, Map.of("k1", key1), "k1");
            byte[] plain = "the quarterly figures, confidential".repeat(100).getBytes();
            sealed.put("doc", plain);
            byte[] stored = store.get("doc").orElseThrow();
            assertFalse(new String(stored).contains("quarterly"), "the bucket holds ciphertext");
            assertArrayEquals(plain, sealed.get("doc").orElseThrow());
            byte[] tampered = stored.clone();
            tampered[tampered.length - 20] ^= 1;
            store.put("doc", tampered);
            assertThrows(IOException.class, () -> sealed.get("doc"));
            store.put("plain", plain);
            assertThrows(IOException.class, () -> sealed.get("plain"), "unsealed objects are refused");
            SealedObjectStore rotated = new SealedObjectStore(store, Map.of("k2", key2), "k2");
            sealed.put("old", plain);
            IOException unknown = assertThrows(IOException.class, () -> rotated.get("old"));
            assertTrue(unknown.getMessage().contains("k1"), unknown.getMessage());

            ObjectChunkStore named = new ObjectChunkStore(sealed, key1);
            ChunkRef ref = named.put(plain, plain.length, false);
            assertTrue(!new ObjectChunkStore(store, null).refOf(plain, plain.length).equals(ref),
                    "with encryption, names are keyed: a plain digest would confirm guesses");
            byte[] back = new byte[plain.length];
            named.get(ref, back);
            assertArrayEquals(plain, back);
        }
    }
}
