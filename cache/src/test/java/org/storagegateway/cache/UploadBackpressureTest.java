package org.storagegateway.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.cache.policy.UploadBuffer;

/** Issue 4: with uploads stopped, writes fill the upload buffer, then wait (never fail) until uploads free room. */
class UploadBackpressureTest {
    private static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;
    private static final long UPLOAD_BUFFER = 8L << 20;
    private static final int BUFFER_CHUNKS = (int) (UPLOAD_BUFFER / CHUNK);
    /** Twice what the buffer holds, so that the writer must wait for uploads halfway. */
    private static final int WRITES = 2 * BUFFER_CHUNKS;
    /** How often the test looks at the writer while waiting for it to block; a poll, not a timing. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aFullUploadBufferHoldsTheWriterUntilUploadsFreeRoom() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        try (BlockCache cache = BlockCache.open(CacheSettings.of(directory, 64L << 20, UPLOAD_BUFFER));
             CachedVolume volume = cache.openVolume("v", (long) WRITES * CHUNK, VolumeMode.CACHED, store);
             TestUploader uploader = new TestUploader(volume, store)) {
            AtomicInteger written = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int chunk = 0; chunk < WRITES; chunk++) {
                        volume.write((long) chunk * CHUNK, ByteBuffer.wrap(RandomChunks.chunk(chunk, 1, CHUNK)),
                                false);
                        written.incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                }
            }, "test-writer");
            writer.start();

            awaitHeldByTheUploadBuffer(writer, cache);
            assertNull(failure.get(), "a full buffer holds writes; it does not fail them");
            assertEquals(BUFFER_CHUNKS, written.get(),
                    "each write dirties one chunk: the buffer took exactly its size");
            assertEquals(UPLOAD_BUFFER, cache.metrics().uploadBufferUsed());
            assertTrue(cache.metrics().throttledWrites() > 0, "writes past 90 % of the buffer count as throttled");

            uploader.start();
            writer.join();
            assertNull(failure.get());
            assertEquals(WRITES, written.get(), "uploads freed room and the writer went on");
            uploader.stop();
            uploader.drain();

            assertEquals(0, cache.metrics().uploadBufferUsed());
            for (int chunk = 0; chunk < WRITES; chunk++) {
                byte[] expected = RandomChunks.chunk(chunk, 1, CHUNK);
                ByteBuffer data = ByteBuffer.allocate(CHUNK);
                volume.read((long) chunk * CHUNK, data);
                assertArrayEquals(expected, data.array(), "chunk " + chunk);
                assertArrayEquals(expected, store.get(chunk), "uploaded chunk " + chunk);
            }
        }
    }

    /**
     * Waits until the writer is parked in {@link UploadBuffer#awaitRoom()} with the buffer full. Only uploads lower
     * it, and none run, so from then on the writer cannot pass: that is what "blocked" means here, not a duration.
     */
    private static boolean isParked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private static void awaitHeldByTheUploadBuffer(Thread writer, BlockCache cache) {
        // Parked inside awaitRoom: on its way in the writer is in awaitRoom but running (it logs that the buffer is
        // full), so the stack alone would race with the state.
        while (!(cache.metrics().uploadBufferUsed() >= UPLOAD_BUFFER && isInAwaitRoom(writer) && isParked(writer))) {
            assertTrue(writer.isAlive(), "the writer finished without waiting for uploads");
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static boolean isInAwaitRoom(Thread thread) {
        return Arrays.stream(thread.getStackTrace()).anyMatch(frame ->
                frame.getClassName().equals(UploadBuffer.class.getName())
                        && frame.getMethodName().equals("awaitRoom"));
    }
}
