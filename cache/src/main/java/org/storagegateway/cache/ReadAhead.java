package org.storagegateway.cache;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-ahead and background hydration of one volume's chunks from its {@link ChunkSource}. A sequential reader that
 * misses the cache would otherwise wait for one object-store round trip per chunk; once a read misses right after
 * the chunk before it, the next {@link #WINDOW} chunks are fetched in the background, and every further sequential
 * read of a chunk the read-ahead reached keeps the window ahead. Readers of a chunk being fetched wait on its lock
 * and find it in the cache, so nothing is fetched twice. Reads that hit the cache start nothing, so streaming a
 * cached volume costs no tasks.
 *
 * <p>Tasks run on the cache's shared fetch pool, whose bounded queue drops what it cannot take: read-ahead is a
 * hint, and a dropped chunk is fetched by the read that needs it. A volume closes only once its tasks have stopped,
 * so none writes pages for a volume that is gone.
 */
final class ReadAhead {
    /** Chunks fetched ahead of a sequential reader: 8 MiB at the default chunk size, 8 object-store reads at once. */
    static final int WINDOW = 8;
    private static final int HYDRATION_BATCH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

    /** Fetches one chunk unless the cache knows all of it already; the volume does the locking. */
    @FunctionalInterface
    interface ChunkFetch {
        void fetchIfMissing(long chunk) throws IOException;
    }

    private final String volumeName;
    private final long chunkCount;
    private final ThreadPoolExecutor pool;
    private final ChunkFetch fetch;
    private volatile long lastRead = -2;
    private volatile long aheadTo = -1;
    private int running;
    private boolean hydrating;
    private boolean hydrateAgain;
    private boolean stopped;

    ReadAhead(String volumeName, long chunkCount, ThreadPoolExecutor pool, ChunkFetch fetch) {
        this.volumeName = volumeName;
        this.chunkCount = chunkCount;
        this.pool = pool;
        this.fetch = fetch;
    }

    /** Told after every read of {@code chunk}; {@code missed} when the read had to fetch it. */
    void afterRead(long chunk, boolean missed) {
        // Every read of the volume passes here: reads that start nothing take no lock. The two fields are a hint,
        // and concurrent readers racing on them at worst start or skip one read-ahead.
        long previous = lastRead;
        lastRead = chunk;
        if (chunk != previous + 1 || !missed && chunk > aheadTo) {
            return;
        }
        long from;
        long to;
        synchronized (this) {
            if (stopped) {
                return;
            }
            from = Math.max(aheadTo, chunk) + 1;
            to = Math.min(chunk + WINDOW, chunkCount - 1);
            if (from > to) {
                return;
            }
            aheadTo = to;
        }
        for (long next = from; next <= to; next++) {
            submit(next);
        }
    }

    /** Lists up to {@code max} chunks with remote content from {@code from} on, in order. */
    @FunctionalInterface
    interface RemoteChunks {
        List<Long> from(long from, int max) throws IOException;
    }

    /**
     * Fetches every chunk with remote content that the cache lacks, one after another on one pool thread, so that a
     * stored volume made from remote content ends up whole in the cache without its readers waiting for it.
     */
    void hydrate(RemoteChunks remote, Runnable done) {
        synchronized (this) {
            if (hydrating) {
                // The walk under way may have passed the new chunks: it walks again once more when it ends.
                hydrateAgain = true;
                return;
            }
            if (!begin()) {
                return;
            }
            hydrating = true;
        }
        try {
            pool.execute(() -> {
                try {
                    while (walk(remote)) {
                        synchronized (this) {
                            if (!hydrateAgain) {
                                hydrating = false;
                                break;
                            }
                            hydrateAgain = false;
                        }
                    }
                    if (!isStopped()) {
                        done.run();
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Hydrating volume {} stopped: {}; its chunks are fetched when read", volumeName,
                            e.toString());
                } finally {
                    synchronized (this) {
                        hydrating = false;
                    }
                    end();
                }
            });
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                hydrating = false;
            }
            end();
            throw e;
        }
    }

    /** One walk over the chunks with remote content; false when stopped before the end. */
    private boolean walk(RemoteChunks remote) throws IOException {
        for (long from = 0; !isStopped(); ) {
            List<Long> chunks = remote.from(from, HYDRATION_BATCH);
            for (int i = 0; i < chunks.size() && !isStopped(); i++) {
                fetch.fetchIfMissing(chunks.get(i));
            }
            if (chunks.size() < HYDRATION_BATCH) {
                return !isStopped();
            }
            from = chunks.get(chunks.size() - 1) + 1;
        }
        return false;
    }

    private void submit(long chunk) {
        if (!begin()) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    if (!isStopped()) {
                        fetch.fetchIfMissing(chunk);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Read-ahead of chunk {} of volume {} failed: {}", chunk, volumeName, e.toString());
                } finally {
                    end();
                }
            });
        } catch (RejectedExecutionException e) {
            end();
        }
    }

    private synchronized boolean begin() {
        if (stopped) {
            return false;
        }
        running++;
        return true;
    }

    private synchronized void end() {
        running--;
        notifyAll();
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    /** Starts nothing more and waits for the tasks under way (each stops at its next chunk). */
    synchronized void stop() {
        stopped = true;
        boolean interrupted = false;
        while (running > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
