package org.storagegateway.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A unit-test uploader: drains a cached volume's dirty chunks into an {@link InMemoryObjectStore} the way the real
 * uploader will (list, read the image with its stamp, store it, then mark it clean), either on demand or on a
 * background thread that can be stopped and started again.
 */
final class TestUploader implements AutoCloseable {
    private static final int BATCH = 32;
    /** How long an idle uploader parks before it looks for dirty chunks again. */
    private static final long IDLE_PARK_NANOS = 200_000;

    private final CachedVolume volume;
    private final InMemoryObjectStore store;
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running;
    private Thread thread;

    TestUploader(CachedVolume volume, InMemoryObjectStore store) {
        this.volume = volume;
        this.store = store;
    }

    /**
     * Uploads every chunk dirty now, and what turns dirty meanwhile, until none is left. Call it with the background
     * thread stopped: then a pass that cleans none of the chunks it found would find them again forever, and fails.
     */
    void drain() throws IOException {
        while (true) {
            long cleaned = uploaded.get();
            int found = uploadSome();
            if (found == 0) {
                return;
            }
            if (uploaded.get() == cleaned) {
                throw new IllegalStateException(found + " dirty chunks were uploaded but none could be marked clean");
            }
        }
    }

    /** One pass over the volume's dirty chunks in chunk order; returns how many it found. */
    private int uploadSome() throws IOException {
        int found = 0;
        long from = 0;
        List<CachedVolume.DirtyChunk> dirty;
        while (!(dirty = volume.dirtyChunks(from, BATCH)).isEmpty()) {
            for (CachedVolume.DirtyChunk chunk : dirty) {
                CachedVolume.ChunkImage image = volume.readChunk(chunk.index());
                store.put(chunk.index(), image.data(), image.zero());
                // A write since the image keeps the chunk dirty; a later pass uploads it again.
                byte[] ref = image.zero() ? null : InMemoryObjectStore.refOf(chunk.index());
                if (volume.markUploaded(chunk.index(), image.stamp(), ref)) {
                    uploaded.incrementAndGet();
                }
            }
            found += dirty.size();
            from = dirty.get(dirty.size() - 1).index() + 1;
        }
        return found;
    }

    /** Starts draining on a background thread. */
    synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the uploader is already running");
        }
        running = true;
        thread = new Thread(this::run, "test-uploader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                if (uploadSome() == 0) {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
        } catch (IOException | RuntimeException e) {
            failure.set(e);
        }
    }

    /** Stops the background thread after its current chunk; rethrows what it failed with, if anything. */
    synchronized void stop() {
        if (thread == null) {
            return;
        }
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the uploader", e);
        }
        thread = null;
        Throwable failed = failure.getAndSet(null);
        if (failed instanceof IOException io) {
            throw new UncheckedIOException("the uploader failed", io);
        }
        if (failed != null) {
            throw new IllegalStateException("the uploader failed", failed);
        }
    }

    /** Chunks marked clean so far. */
    long uploaded() {
        return uploaded.get();
    }

    @Override
    public void close() {
        stop();
    }
}
