package org.storagegateway.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.cache.CachedVolume.FrozenChunkId;
import org.storagegateway.cache.CachedVolume.RemoteRef;
import org.storagegateway.scsi.block.BlockDevice.Extent;

/**
 * What snapshots and restores need of the cache: generations closed at one instant, copy-on-write of chunks a
 * snapshot still needs, remote references recorded with the uploads, and volumes that start out in the object store.
 */
class SnapshotHandOffTest {
    private static final int PAGE = CacheSettings.DEFAULT_PAGE_SIZE;
    private static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;

    @TempDir
    Path directory;

    private BlockCache open() throws IOException {
        return BlockCache.open(CacheSettings.of(directory, 64L << 20, 16L << 20));
    }

    private static byte[] read(CachedVolume volume, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        volume.read(offset, buffer);
        return buffer.array();
    }

    private static void write(CachedVolume volume, long offset, byte[] data) throws IOException {
        volume.write(offset, ByteBuffer.wrap(data), false);
    }

    @Test
    void aWriteAfterASnapshotFreezesWhatTheSnapshotNeedsAndTheUploadsGoInOrder() throws IOException {
        byte[] before = RandomChunks.chunk(0, 1, CHUNK);
        byte[] after = before.clone();
        System.arraycopy(RandomChunks.slice(0, 2, CHUNK, 0, PAGE), 0, after, 5 * PAGE, PAGE);
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", 4L * CHUNK, VolumeMode.STORED, null);
            write(volume, 0, before);
            assertEquals(1L, volume.advanceGeneration());
            long dirtyBefore = cache.metrics().dirtyBytes();
            write(volume, 5 * PAGE, RandomChunks.slice(0, 2, CHUNK, 0, PAGE));

            assertEquals(List.of(new FrozenChunkId(0, 1)), volume.frozenChunks(0, 10));
            assertEquals(dirtyBefore + CHUNK, cache.metrics().dirtyBytes(), "the frozen copy is data to upload");
            assertArrayEquals(before, volume.readFrozen(0, 1).data(), "the snapshot sees the chunk as it was");
            CachedVolume.ChunkImage live = volume.readChunk(0);
            assertArrayEquals(after, live.data());
            assertEquals(2, live.generation());

            assertThrows(IllegalStateException.class, () -> volume.markUploaded(0, live.stamp(), new byte[] {2}),
                    "the newer version may not overtake the frozen one");
            volume.markFrozenUploaded(0, 1, new byte[] {1});
            assertArrayEquals(new byte[] {1}, volume.remoteRef(0));
            assertTrue(volume.markUploaded(0, live.stamp(), new byte[] {2}));
            assertArrayEquals(new byte[] {2}, volume.remoteRef(0));
            assertEquals(List.of(), volume.frozenChunks(0, 10));
            assertEquals(0, cache.metrics().dirtyBytes());
        }
    }

    @Test
    void aChunkFrozenTwiceKeepsBothVersionsOldestFirst() throws IOException {
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", 4L * CHUNK, VolumeMode.STORED, null);
            write(volume, CHUNK, RandomChunks.slice(1, 1, CHUNK, 0, PAGE));
            volume.advanceGeneration();
            write(volume, CHUNK, RandomChunks.slice(1, 2, CHUNK, 0, PAGE));
            volume.advanceGeneration();
            write(volume, CHUNK, RandomChunks.slice(1, 3, CHUNK, 0, PAGE));
            assertEquals(List.of(new FrozenChunkId(1, 1), new FrozenChunkId(1, 2)), volume.frozenChunks(0, 10));
            assertThrows(IllegalStateException.class, () -> volume.markFrozenUploaded(1, 2, new byte[] {2}));
            assertArrayEquals(RandomChunks.slice(1, 1, CHUNK, 0, PAGE),
                    Arrays.copyOf(volume.readFrozen(1, 1).data(), PAGE));
            assertArrayEquals(RandomChunks.slice(1, 2, CHUNK, 0, PAGE),
                    Arrays.copyOf(volume.readFrozen(1, 2).data(), PAGE));
        }
    }

    @Test
    void aFrozenCopyOfAPartlyCachedChunkTakesItsOtherPagesFromTheContentItWasBasedOn() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore();
        byte[] remote = RandomChunks.chunk(2, 1, CHUNK);
        store.put(2, remote, false);
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("c", 4L * CHUNK, VolumeMode.CACHED, store);
            volume.putRemoteRefs(store.refs());
            byte[] page = RandomChunks.slice(2, 2, CHUNK, 0, PAGE);
            write(volume, 2L * CHUNK + PAGE, page);
            assertEquals(0, cache.metrics().readMisses(), "a whole-page write fetches nothing");
            volume.advanceGeneration();
            write(volume, 2L * CHUNK + 7 * PAGE, RandomChunks.slice(2, 3, CHUNK, 0, PAGE));
            assertEquals(0, cache.metrics().readMisses(), "freezing fetches nothing either: a write never waits");

            byte[] expected = remote.clone();
            System.arraycopy(page, 0, expected, PAGE, PAGE);
            CachedVolume.ChunkImage frozen = volume.readFrozen(2, 1);
            assertArrayEquals(expected, frozen.data());
            assertEquals(1, frozen.generation());
        }
    }

    @Test
    void aGroupOfVolumesClosesItsGenerationsAtOneInstantAndFrozenCopiesSurviveAReopen() throws IOException {
        byte[] first = RandomChunks.chunk(0, 1, CHUNK);
        try (BlockCache cache = open()) {
            CachedVolume a = cache.openVolume("a", 2L * CHUNK, VolumeMode.STORED, null);
            CachedVolume b = cache.openVolume("b", 2L * CHUNK, VolumeMode.STORED, null);
            a.advanceGeneration();
            write(a, 0, first);
            write(b, 0, first);
            Map<CachedVolume, Long> closed = cache.advanceGenerations(List.of(a, b));
            assertEquals(Map.of(a, 2L, b, 1L), closed);
            write(a, 0, new byte[PAGE]);
            a.close();
            b.close();
        }
        try (BlockCache cache = open()) {
            CachedVolume a = cache.openVolume("a", 2L * CHUNK, VolumeMode.STORED, null);
            assertEquals(3, a.generation());
            assertEquals(List.of(new FrozenChunkId(0, 2)), a.frozenChunks(0, 10));
            assertArrayEquals(first, a.readFrozen(0, 2).data());
            assertEquals(3L * CHUNK - PAGE, cache.metrics().dirtyBytes(),
                    "reopened, the accounting counts the frozen copy, a's live chunk and b's");
            assertTrue(cache.check().problems().isEmpty(), cache.check().problems().toString());
        }
    }

    @Test
    void aVolumeCreatedFromRemoteContentReadsItOnDemandAndRefusesRefsOverItsOwnData() throws IOException {
        InMemoryObjectStore store = new InMemoryObjectStore();
        byte[] remote = RandomChunks.chunk(1, 1, CHUNK);
        store.put(1, remote, false);
        try (BlockCache cache = open()) {
            CachedVolume restored = cache.openVolume("restored", 4L * CHUNK, VolumeMode.STORED, store);
            restored.putRemoteRefs(store.refs());
            assertArrayEquals(remote, read(restored, CHUNK, CHUNK));
            assertEquals(1, cache.metrics().readMisses());
            assertEquals(List.of(new Extent(0, CHUNK, false),
                    new Extent(CHUNK, CHUNK, true),
                    new Extent(2L * CHUNK, 2L * CHUNK, false)),
                    restored.mapping(0, 4L * CHUNK, 10));
            assertThrows(IllegalStateException.class,
                    () -> restored.putRemoteRefs(List.of(new RemoteRef(1, new byte[] {9}))));

            CachedVolume orphan = cache.openVolume("orphan", 4L * CHUNK, VolumeMode.STORED, null);
            orphan.putRemoteRefs(List.of(new RemoteRef(0, InMemoryObjectStore.refOf(0))));
            IOException failure = assertThrows(IOException.class, () -> read(orphan, 0, PAGE));
            assertTrue(failure.getMessage().contains("without a source"), failure.getMessage());
            assertNull(orphan.remoteRef(1));
        }
    }

    @Test
    void anUploadNoteSurvivesAReopenUntilTheUploadIsRecordedAndGoesWithItsVolume() throws IOException {
        byte[] ref = {1, 2, 3};
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", 4L * CHUNK, VolumeMode.STORED, null);
            write(volume, 0, RandomChunks.chunk(0, 1, CHUNK));
            write(volume, CHUNK, RandomChunks.chunk(0, 2, CHUNK));
            volume.noteUploading(0, ref);
            volume.noteUploading(1, ref);
            assertThrows(IndexOutOfBoundsException.class, () -> volume.noteUploading(4, ref));
        }
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", 4L * CHUNK, VolumeMode.STORED, null);
            assertArrayEquals(ref, volume.uploadingRef(0));
            CachedVolume.ChunkImage image = volume.readChunk(0);
            assertTrue(volume.markUploaded(0, image.stamp(), ref));
            assertNull(volume.uploadingRef(0));
            assertArrayEquals(ref, volume.uploadingRef(1), "a chunk not yet recorded keeps its note");
            assertTrue(cache.check().problems().isEmpty(), cache.check().problems().toString());
            volume.close();
            cache.deleteVolume("v");
            CachedVolume again = cache.openVolume("v", 4L * CHUNK, VolumeMode.STORED, null);
            assertNull(again.uploadingRef(1), "deleting a volume drops its notes");
        }
    }
}
