package org.storagegateway.gateway.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloudfake.InMemoryChunkStore;
import org.storagegateway.gateway.cloudfake.InMemoryObjectStore;

class UploaderTest {
    static final int CHUNK = 64 << 10;

    @TempDir
    Path directory;
    final InMemoryObjectStore objects = new InMemoryObjectStore();
    final InMemoryChunkStore chunks = new InMemoryChunkStore(objects);
    final List<Duration> sleeps = new ArrayList<>();
    BlockCache cache;
    CachedVolume volume;
    Uploader uploader;

    static CacheSettings settings(Path directory) {
        return CacheSettings.of(directory, 64L << 20, 16L << 20).withChunkSize(CHUNK);
    }

    @BeforeEach
    void open() throws IOException {
        cache = BlockCache.open(settings(directory));
        volume = cache.openVolume("v", 4L << 20, VolumeMode.STORED, null);
        uploader = newUploader();
    }

    Uploader newUploader() {
        Uploader next = new Uploader(chunks, new UploaderSettings(4, Duration.ofMillis(10), Duration.ofMillis(80),
                Duration.ofMillis(20)), sleeps::add);
        next.register(volume);
        return next;
    }

    @AfterEach
    void close() throws IOException {
        uploader.close();
        volume.close();
        cache.close();
    }

    static byte[] pattern(int seed) {
        byte[] bytes = new byte[CHUNK];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed * 7 + i / 512);
        }
        return bytes;
    }

    void write(long chunk, byte[] data) throws IOException {
        volume.write(chunk * CHUNK, ByteBuffer.wrap(data), false);
    }

    @Test
    void drainsDirtyChunksAndStoresNoObjectForZeros() throws IOException {
        for (int i = 0; i < 10; i++) {
            write(i, pattern(i));
        }
        write(20, new byte[CHUNK]);
        Uploader.PassResult result = uploader.drain("v");
        assertEquals(11, result.uploaded());
        assertTrue(volume.dirtyChunks(0, 100).isEmpty());
        assertEquals(10, chunks.uploads());
        assertEquals(10L * CHUNK, uploader.counters().bytesUploaded());
        assertEquals(1, uploader.counters().zeroChunks());
        assertArrayEquals(chunks.refOf(pattern(3), CHUNK).encode(), volume.remoteRef(3));
        assertNull(volume.remoteRef(20));
    }

    @Test
    void anUnchangedChunkIsNotUploadedAgain() throws IOException {
        write(1, pattern(1));
        uploader.drain("v");
        write(1, pattern(1));
        assertEquals(1, volume.dirtyChunks(0, 10).size());
        uploader.drain("v");
        assertEquals(1, chunks.uploads());
        assertEquals(1, uploader.counters().skippedUnchanged());
        assertTrue(volume.dirtyChunks(0, 10).isEmpty());
    }

    @Test
    void failedUploadsStayDirtyAndRetryAskingTheStoreFirst() throws IOException {
        for (int i = 0; i < 6; i++) {
            write(i, pattern(i));
        }
        uploader.drain("v");
        objects.failNext(4);
        for (int i = 0; i < 6; i++) {
            write(i, pattern(i + 100));
        }
        Uploader.PassResult failed = uploader.drain("v");
        assertTrue(failed.failed() > 0);
        assertEquals(failed.failed(), volume.dirtyChunks(0, 10).size());
        long checksBefore = objects.existenceChecks();
        Uploader.PassResult retried = uploader.drain("v");
        assertEquals(0, retried.failed());
        assertEquals(failed.failed(), objects.existenceChecks() - checksBefore,
                "only the uploads that failed are looked for before they are tried again");
        assertTrue(volume.dirtyChunks(0, 10).isEmpty());
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(chunks.refOf(pattern(i + 100), CHUNK).encode(), volume.remoteRef(i));
        }
    }

    @Test
    void resumesAfterARestartWithoutUploadingWhatTheStoreConfirmed() throws IOException {
        for (int i = 0; i < 4; i++) {
            write(i, pattern(i));
        }
        // A crash after the store confirmed chunk 2 but before the cache recorded it, and one while chunk 3 was on
        // its way (its upload noted, the store never reached).
        volume.noteUploading(2, chunks.refOf(pattern(2), CHUNK).encode());
        chunks.put(pattern(2), CHUNK, false);
        volume.noteUploading(3, chunks.refOf(pattern(3), CHUNK).encode());
        uploader.close();
        volume.close();
        cache.close();
        cache = BlockCache.open(settings(directory));
        volume = cache.openVolume("v", 4L << 20, VolumeMode.STORED, null);
        assertEquals(4, volume.dirtyChunks(0, 10).size());
        uploader = newUploader();
        uploader.drain("v");
        assertTrue(volume.dirtyChunks(0, 10).isEmpty());
        assertEquals(4, chunks.uploads(), "three uploads after the restart, one before");
        assertEquals(1, uploader.counters().skippedExisting());
        assertEquals(2, objects.existenceChecks(), "only the two noted uploads are looked for");
        for (int i = 0; i < 4; i++) {
            assertNull(volume.uploadingRef(i), "recording an upload drops its note");
        }
    }

    @Test
    void aHeldGenerationUploadsFirstAndWritesAfterItWait() throws IOException {
        write(0, pattern(1));
        long closed = volume.advanceGeneration();
        uploader.hold("v", closed);
        write(0, pattern(2));
        write(1, pattern(3));
        assertFalse(Uploader.drained(volume, closed));
        Uploader.PassResult result = uploader.drain("v");
        assertEquals(1, result.uploaded());
        assertEquals(2, result.deferred());
        assertTrue(Uploader.drained(volume, closed));
        assertArrayEquals(chunks.refOf(pattern(1), CHUNK).encode(), volume.remoteRef(0),
                "the snapshot's content, not the write after it");
        assertNull(volume.remoteRef(1));
        uploader.release("v", closed);
        uploader.drain("v");
        assertArrayEquals(chunks.refOf(pattern(2), CHUNK).encode(), volume.remoteRef(0));
        assertArrayEquals(chunks.refOf(pattern(3), CHUNK).encode(), volume.remoteRef(1));
    }

    @Test
    void theBackgroundThreadBacksOffWhileTheStoreFailsAndRecovers() throws Exception {
        for (int i = 0; i < 8; i++) {
            write(i, pattern(i));
        }
        objects.failNext(20);
        uploader.start();
        assertTrue(uploader.awaitUploaded("v", Duration.ofSeconds(30)));
        assertTrue(volume.dirtyChunks(0, 10).isEmpty());
        assertFalse(sleeps.isEmpty());
        assertTrue(sleeps.size() < 2 || sleeps.get(1).compareTo(sleeps.get(0)) > 0, "backoff grows: " + sleeps);
        byte[] back = new byte[CHUNK];
        chunks.get(chunks.refOf(pattern(5), CHUNK), back);
        assertTrue(Arrays.equals(pattern(5), back));
    }

    @Test
    void aChunkWrittenOverAndOverUploadsOnceItHasSettled() throws Exception {
        Duration settle = Duration.ofMillis(400);
        try (Uploader settling = new Uploader(chunks, new UploaderSettings(4, Duration.ofMillis(10),
                Duration.ofMillis(80), Duration.ofMillis(20), settle), sleeps::add)) {
            uploader.unregister("v");
            settling.register(volume);
            write(0, pattern(1));
            assertEquals(new Uploader.PassResult(0, 0, 1), settling.drain("v"), "just written: it waits");
            write(0, pattern(2));
            assertEquals(new Uploader.PassResult(0, 0, 1), settling.drain("v"), "written again: it waits anew");
            long quietSince = System.nanoTime();
            Thread.sleep(settle.toMillis() + 50);
            write(1, pattern(3));
            Uploader.PassResult pass = settling.drain("v");
            assertTrue(System.nanoTime() - quietSince >= settle.toNanos());
            assertEquals(new Uploader.PassResult(1, 0, 1), pass, "chunk 0 settled, chunk 1 not yet");
            assertEquals(1, chunks.uploads(), "one upload of chunk 0 for its two writes");

            // A snapshot waiting on the volume does not wait for chunks to settle.
            long generation = cache.advanceGenerations(List.of(volume)).get(volume);
            settling.hold("v", generation);
            assertEquals(new Uploader.PassResult(1, 0, 0), settling.drain("v"));
            settling.release("v", generation);
            uploader = newUploaderUnregistered(settling);
        }
    }

    /** Gives the test's uploader back the volume after a test replaced it (the close in {@link #close}). */
    private Uploader newUploaderUnregistered(Uploader replaced) {
        replaced.unregister("v");
        return newUploader();
    }
}
