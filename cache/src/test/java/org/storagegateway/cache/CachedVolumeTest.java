package org.storagegateway.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a cache volume promises beyond the block-device contract: pages, zeros, dirty marks, hand-off, layout. */
class CachedVolumeTest {
    private static final int PAGE = CacheSettings.DEFAULT_PAGE_SIZE;
    private static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;

    @TempDir
    Path directory;

    private BlockCache open() throws IOException {
        return BlockCache.open(CacheSettings.of(directory, 64L << 20, 16L << 20));
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] read(CachedVolume volume, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        volume.read(offset, buffer);
        return buffer.array();
    }

    @Test
    void aSmallWriteInsideAChunkStoresOnlyItsPageAndZerosAreStoredAsNothing() throws IOException {
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", 8L << 20, VolumeMode.STORED, null);
            volume.write(CHUNK + 3 * PAGE, ByteBuffer.wrap(random(PAGE, 1)), false);
            assertEquals(PAGE, cache.metrics().storedVolumeBytes());
            volume.write(CHUNK + 5 * PAGE, ByteBuffer.wrap(new byte[4 * PAGE]), false);
            assertEquals(PAGE, cache.metrics().storedVolumeBytes(), "pages of zeros take no room");
            byte[] sector = random(512, 2);
            volume.write(CHUNK + 3 * PAGE + 1024, ByteBuffer.wrap(sector), false);
            byte[] expected = random(PAGE, 1);
            System.arraycopy(sector, 0, expected, 1024, 512);
            assertArrayEquals(expected, read(volume, CHUNK + 3 * PAGE, PAGE));
            volume.deallocate(CHUNK + 3 * PAGE, PAGE);
            assertEquals(0, cache.metrics().storedVolumeBytes());
            assertArrayEquals(new byte[PAGE], read(volume, CHUNK + 3 * PAGE, PAGE));
        }
    }

    @Test
    void writesMarkTheirChunksDirtyUntilAnUploadWithAnUnchangedStampCleansThem() throws IOException {
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", 8L << 20, VolumeMode.STORED, null);
            volume.write(CHUNK - PAGE, ByteBuffer.wrap(random(2 * PAGE, 3)), false);
            assertEquals(List.of(new CachedVolume.DirtyChunk(0, 1), new CachedVolume.DirtyChunk(1, 1)),
                    volume.dirtyChunks(0, 10));
            CachedVolume.ChunkImage image = volume.readChunk(0);
            assertArrayEquals(random(2 * PAGE, 3), Arrays.copyOfRange(
                    concat(image.data(), read(volume, CHUNK, PAGE)), CHUNK - PAGE, CHUNK + PAGE));
            volume.write(0, ByteBuffer.wrap(random(PAGE, 4)), false);
            assertFalse(volume.markUploaded(0, image.stamp(), new byte[] {0}), "a write since the image keeps the chunk dirty");
            CachedVolume.ChunkImage again = volume.readChunk(0);
            assertTrue(volume.markUploaded(0, again.stamp(), new byte[] {0}));
            assertEquals(List.of(new CachedVolume.DirtyChunk(1, 1)), volume.dirtyChunks(0, 10));
            assertEquals(1L, volume.advanceGeneration());
            volume.write(0, ByteBuffer.wrap(random(PAGE, 5)), false);
            assertEquals(List.of(new CachedVolume.DirtyChunk(0, 2), new CachedVolume.DirtyChunk(1, 1)),
                    volume.dirtyChunks(0, 10));
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void dirtyMarksGenerationsAndLayoutSurviveAReopenWithOtherSettings() throws IOException {
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", 8L << 20, VolumeMode.STORED, null);
            volume.write(5L * CHUNK + 7, ByteBuffer.wrap(random(3000, 6)), true);
            volume.advanceGeneration();
        }
        try (BlockCache cache = BlockCache.open(CacheSettings.of(directory, 64L << 20, 16L << 20)
                .withChunkSize(256 << 10))) {
            CachedVolume volume = cache.openVolume("v", 16L << 20, VolumeMode.STORED, null);
            assertEquals(CHUNK, volume.chunkSize(), "a volume keeps the layout it was created with");
            assertEquals(16L << 20, volume.size(), "a larger configured size grows it");
            assertEquals(2, volume.generation());
            assertEquals(List.of(new CachedVolume.DirtyChunk(5, 1)), volume.dirtyChunks(0, 10));
            assertArrayEquals(random(3000, 6), read(volume, 5L * CHUNK + 7, 3000));
            assertEquals(PAGE, cache.metrics().dirtyBytes());
        }
    }

    @Test
    void anExistingVolumeIsNotShrunkNorReopenedInAnotherMode() throws IOException {
        try (BlockCache cache = open()) {
            cache.openVolume("v", 8L << 20, VolumeMode.STORED, null).close();
            IOException shrink = assertThrows(IOException.class,
                    () -> cache.openVolume("v", 4L << 20, VolumeMode.STORED, null));
            assertTrue(shrink.getMessage().contains("would drop data"), shrink.getMessage());
            IOException mode = assertThrows(IOException.class,
                    () -> cache.openVolume("v", 8L << 20, VolumeMode.CACHED, (index, ref, chunk) -> false));
            assertTrue(mode.getMessage().contains("stored volume"), mode.getMessage());
            cache.deleteVolume("v");
            assertEquals(4L << 20, cache.openVolume("v", 4L << 20, VolumeMode.STORED, null).size());
        }
    }

    @Test
    void aCachedVolumeFetchesWhatItLacksAndKeepsWhatWasWrittenMeanwhile() throws IOException {
        Map<Long, byte[]> store = new ConcurrentHashMap<>();
        store.put(2L, random(CHUNK, 7));
        ChunkSource source = (index, ref, chunk) -> {
            byte[] data = store.get(index);
            if (data == null) {
                return false;
            }
            System.arraycopy(data, 0, chunk, 0, CHUNK);
            return true;
        };
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("c", 8L << 20, VolumeMode.CACHED, source);
            volume.putRemoteRefs(List.of(new CachedVolume.RemoteRef(2, new byte[] {2})));
            byte[] written = random(PAGE, 8);
            volume.write(2L * CHUNK + PAGE, ByteBuffer.wrap(written), false);
            assertEquals(0, cache.metrics().readMisses(), "a whole-page write needs nothing from the store");
            byte[] expected = random(CHUNK, 7);
            System.arraycopy(written, 0, expected, PAGE, PAGE);
            assertArrayEquals(expected, read(volume, 2L * CHUNK, CHUNK));
            assertEquals(1, cache.metrics().readMisses());
            assertArrayEquals(expected, read(volume, 2L * CHUNK, CHUNK));
            assertEquals(1, cache.metrics().readMisses(), "the fetched chunk stays");
            assertEquals(CHUNK, cache.metrics().uploadBufferUsed(), "a dirty chunk is uploaded whole");
        }
    }
}
