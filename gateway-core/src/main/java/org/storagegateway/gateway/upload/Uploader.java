package org.storagegateway.gateway.upload;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.ChunkStore;

/**
 * Uploads the volumes' frozen and dirty chunks to the {@link ChunkStore} and records each chunk's remote reference
 * in the cache, which clears its dirty mark in the same batch. All its state is the cache's, so a restart resumes
 * where it stopped. Before each upload it notes the content's name in the cache ({@link CachedVolume#noteUploading});
 * since a crash or a failed call may fall between the store's confirmation and the cache's record, an upload that
 * finds its own note asks the store first, and a confirmed object is never uploaded again. Only those chunks are
 * asked about: a restart over a large dirty set costs no request per chunk.
 *
 * <p>Snapshots hold a volume at a generation ({@link #hold}): until released, only versions of that generation or
 * older upload, so the remote references show exactly the snapshot's point in time when it is drained.
 */
public final class Uploader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);
    private static final int BATCH = 256;

    /** Told after every pass over a volume, so a snapshot can see its generation drained. */
    @FunctionalInterface
    public interface PassListener {
        void afterPass(CachedVolume volume) throws IOException;
    }

    /** Waits between failed passes; tests pass one that only records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** What one pass over a volume did. */
    public record PassResult(int uploaded, int failed, int deferred) {
        boolean clean() {
            return failed == 0 && deferred == 0;
        }
    }

    private static final class Tracked {
        final CachedVolume volume;
        final TreeMap<Long, Integer> holds = new TreeMap<>();
        /** Held through a pass, so that unregistering waits for the pass under way. */
        final ReentrantLock passing = new ReentrantLock();
        /** Dirty chunks waiting to settle: their write stamp and when it was first seen. Touched only in passes. */
        final Map<Long, long[]> settling = new HashMap<>();
        volatile long cleanPassStarted = -1;

        Tracked(CachedVolume volume) {
            this.volume = volume;
        }

        synchronized long limit() {
            return holds.isEmpty() ? Long.MAX_VALUE : holds.firstKey();
        }
    }

    private final ChunkStore chunks;
    private final UploaderSettings settings;
    private final Sleeper sleeper;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final Map<String, Tracked> volumes = new ConcurrentHashMap<>();
    private final List<PassListener> listeners = new ArrayList<>();
    private final UploadCounters counters = new UploadCounters();
    private final AtomicLong passes = new AtomicLong();
    private final Object wake = new Object();
    private volatile Thread loop;
    private volatile boolean closed;

    public Uploader(ChunkStore chunks, UploaderSettings settings, Sleeper sleeper) {
        this.chunks = chunks;
        this.settings = settings;
        this.sleeper = sleeper;
        AtomicInteger number = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "uploader-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.slots = new Semaphore(settings.concurrency());
    }

    public UploadCounters counters() {
        return counters;
    }

    public void addListener(PassListener listener) {
        synchronized (listeners) {
            listeners.add(listener);
        }
    }

    /** Starts uploading {@code volume}'s dirty chunks. */
    public void register(CachedVolume volume) {
        if (volumes.putIfAbsent(volume.name(), new Tracked(volume)) != null) {
            throw new IllegalStateException("volume " + volume.name() + " is already registered");
        }
        wakeUp();
    }

    /**
     * Stops uploading the volume (before it closes or is deleted); returns once a pass under way over it has
     * finished, so nothing touches the volume after this.
     */
    public void unregister(String name) {
        Tracked tracked = volumes.remove(name);
        if (tracked != null) {
            synchronized (tracked) {
                tracked.holds.clear();
            }
            tracked.passing.lock();
            tracked.passing.unlock();
        }
    }

    /** An action on a volume that may fail with an I/O error. */
    public interface VolumeAction {
        void run() throws IOException;
    }

    /**
     * Runs {@code action} while no pass over the volume is under way, so its remote references hold still; waits
     * up to {@code patience} for a pass under way to end, and returns false, running nothing, if it does not.
     */
    public boolean betweenPasses(String name, Duration patience, VolumeAction action) throws IOException {
        Tracked tracked = tracked(name);
        try {
            if (!tracked.passing.tryLock(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for an upload pass to end", e);
        }
        try {
            action.run();
            return true;
        } finally {
            tracked.passing.unlock();
        }
    }

    /** From now until {@link #release}, only versions of {@code generation} or older of the volume upload. */
    public void hold(String name, long generation) {
        Tracked tracked = tracked(name);
        synchronized (tracked) {
            tracked.holds.merge(generation, 1, Integer::sum);
        }
        wakeUp();
    }

    public void release(String name, long generation) {
        Tracked tracked = volumes.get(name);
        if (tracked == null) {
            return;
        }
        synchronized (tracked) {
            tracked.holds.computeIfPresent(generation, (key, count) -> count == 1 ? null : count - 1);
        }
        wakeUp();
    }

    /** Whether no version of generation {@code generation} or older of the volume awaits upload. */
    public static boolean drained(CachedVolume volume, long generation) {
        return pending(volume, generation) == 0;
    }

    /** How many frozen copies and dirty chunks of generation {@code generation} or older await upload. */
    public static long pending(CachedVolume volume, long generation) {
        long count = 0;
        for (long from = 0; ; ) {
            List<CachedVolume.FrozenChunkId> frozen = volume.frozenChunks(from, BATCH);
            count += frozen.stream().filter(id -> id.generation() <= generation).count();
            if (frozen.size() < BATCH) {
                break;
            }
            from = frozen.get(frozen.size() - 1).index() + 1;
        }
        for (long from = 0; ; ) {
            List<CachedVolume.DirtyChunk> dirty = volume.dirtyChunks(from, BATCH);
            count += dirty.stream().filter(chunk -> chunk.generation() <= generation).count();
            if (dirty.size() < BATCH) {
                return count;
            }
            from = dirty.get(dirty.size() - 1).index() + 1;
        }
    }

    /** Starts the background thread that drains every registered volume. */
    public synchronized void start() {
        if (loop != null) {
            return;
        }
        loop = new Thread(this::run, "uploader");
        loop.setDaemon(true);
        loop.start();
    }

    public void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /**
     * Waits until a pass over the volume that began after this call found nothing left to upload at or below its
     * holds and failed nothing: everything dirty as of now is in the store. Returns false on timeout.
     */
    public boolean awaitUploaded(String name, Duration timeout) throws InterruptedException {
        long after = passes.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        Tracked tracked = tracked(name);
        wakeUp();
        synchronized (wake) {
            while (tracked.cleanPassStarted <= after) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wake.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private Tracked tracked(String name) {
        Tracked tracked = volumes.get(name);
        if (tracked == null) {
            throw new IllegalArgumentException("volume " + name + " is not registered with the uploader");
        }
        return tracked;
    }

    private void run() {
        int failedPasses = 0;
        while (!closed) {
            boolean busy = false;
            boolean failed = false;
            for (Tracked tracked : List.copyOf(volumes.values())) {
                try {
                    PassResult result = drain(tracked);
                    busy |= result.uploaded() > 0;
                    failed |= result.failed() > 0;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Upload pass over volume {} failed: {}", tracked.volume.name(), e.toString());
                    failed = true;
                }
            }
            try {
                if (failed) {
                    failedPasses++;
                    sleeper.sleep(settings.backoff(failedPasses));
                } else {
                    failedPasses = 0;
                    if (!busy) {
                        synchronized (wake) {
                            wake.wait(Math.max(1, settings.idlePoll().toMillis()));
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One pass over a registered volume (what the background thread does; tests call it directly). */
    public PassResult drain(String name) throws IOException {
        return drain(tracked(name));
    }

    private PassResult drain(Tracked tracked) throws IOException {
        tracked.passing.lock();
        try {
            return pass(tracked);
        } finally {
            tracked.passing.unlock();
        }
    }

    private PassResult pass(Tracked tracked) throws IOException {
        long started = passes.incrementAndGet();
        long limit = tracked.limit();
        CachedVolume volume = tracked.volume;
        List<Future<Boolean>> tasks = new ArrayList<>();
        int deferred = 0;
        // Frozen copies first, one per chunk per pass: a chunk's copies must land oldest first, and its live dirty
        // content only after all of them, or the remote reference would go back in time.
        Set<Long> frozenChunks = new HashSet<>();
        for (long from = 0; ; ) {
            List<CachedVolume.FrozenChunkId> frozen = volume.frozenChunks(from, BATCH);
            for (CachedVolume.FrozenChunkId id : frozen) {
                if (!frozenChunks.add(id.index())) {
                    continue;
                }
                if (id.generation() > limit) {
                    deferred++;
                } else {
                    tasks.add(submit(() -> uploadFrozen(volume, id)));
                }
            }
            if (frozen.size() < BATCH) {
                break;
            }
            from = frozen.get(frozen.size() - 1).index() + 1;
        }
        int uploaded = 0;
        int failed = 0;
        for (Future<Boolean> task : tasks) {
            if (outcome(task)) {
                uploaded++;
            } else {
                failed++;
            }
        }
        tasks.clear();
        // A snapshot waiting, or writes about to wait for upload buffer, cannot wait for chunks to settle.
        boolean settle = !settings.settle().isZero() && limit == Long.MAX_VALUE && !volume.uploadBufferPressed();
        Set<Long> seen = new HashSet<>();
        long now = System.nanoTime();
        for (long from = 0; ; ) {
            List<CachedVolume.DirtyChunk> dirty = volume.dirtyChunks(from, BATCH);
            for (CachedVolume.DirtyChunk chunk : dirty) {
                if (frozenChunks.contains(chunk.index()) || chunk.generation() > limit
                        || settle && unsettled(tracked, volume, chunk.index(), now, seen)) {
                    deferred++;
                } else {
                    tasks.add(submit(() -> uploadDirty(tracked, chunk.index())));
                }
            }
            if (dirty.size() < BATCH) {
                break;
            }
            from = dirty.get(dirty.size() - 1).index() + 1;
        }
        tracked.settling.keySet().retainAll(seen);
        for (Future<Boolean> task : tasks) {
            if (outcome(task)) {
                uploaded++;
            } else {
                failed++;
            }
        }
        PassResult result = new PassResult(uploaded, failed, deferred);
        if (result.clean()) {
            synchronized (wake) {
                tracked.cleanPassStarted = started;
                wake.notifyAll();
            }
        }
        List<PassListener> current;
        synchronized (listeners) {
            current = List.copyOf(listeners);
        }
        for (PassListener listener : current) {
            listener.afterPass(volume);
        }
        return result;
    }

    /**
     * Whether a dirty chunk was written within the settle time: its write stamp is new, or changed, since a pass
     * first saw it less than the settle time ago.
     */
    private boolean unsettled(Tracked tracked, CachedVolume volume, long index, long now, Set<Long> seen)
            throws IOException {
        long stamp = volume.writeStamp(index);
        long[] known = tracked.settling.get(index);
        if (known == null || known[0] != stamp) {
            tracked.settling.put(index, new long[] {stamp, now});
            seen.add(index);
            return true;
        }
        if (now - known[1] < settings.settle().toNanos()) {
            seen.add(index);
            return true;
        }
        return false;
    }

    private interface Upload {
        boolean run() throws IOException;
    }

    /** Runs an upload on a worker once a slot is free, so at most {@code concurrency} chunks are in memory. */
    private Future<Boolean> submit(Upload upload) throws IOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for an upload slot", e);
        }
        try {
            return workers.submit(() -> {
                try {
                    return upload.run();
                } catch (IOException | RuntimeException e) {
                    counters.failures.incrementAndGet();
                    LOG.debug("Chunk upload failed: {}", e.toString());
                    return false;
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private static boolean outcome(Future<Boolean> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading", e);
        } catch (ExecutionException e) {
            return false;
        }
    }

    private boolean uploadFrozen(CachedVolume volume, CachedVolume.FrozenChunkId id) throws IOException {
        CachedVolume.ChunkImage image = volume.readFrozen(id.index(), id.generation());
        byte[] ref = store(volume, image);
        volume.markFrozenUploaded(id.index(), id.generation(), ref);
        return true;
    }

    /** Uploads a dirty chunk; a write during the upload leaves it dirty for the next pass, which is not a failure. */
    private boolean uploadDirty(Tracked tracked, long index) throws IOException {
        CachedVolume volume = tracked.volume;
        CachedVolume.ChunkImage image = volume.readChunk(index);
        // The hold is read after the image: a snapshot holds before it closes the generation, so a version newer
        // than the hold cannot slip through a pass that began before it.
        if (image.generation() == 0 || image.generation() > tracked.limit()) {
            return true;
        }
        byte[] ref = store(volume, image);
        volume.markUploaded(index, image.stamp(), ref);
        return true;
    }

    /** Stores a chunk's content unless it is zeros or the store holds it already; returns its remote reference. */
    private byte[] store(CachedVolume volume, CachedVolume.ChunkImage image) throws IOException {
        if (image.zero()) {
            counters.zeroChunks.incrementAndGet();
            return null;
        }
        byte[] data = image.data();
        ChunkRef ref = chunks.refOf(data, data.length);
        byte[] encoded = ref.encode();
        if (Arrays.equals(encoded, volume.remoteRef(image.index()))) {
            counters.skippedUnchanged.incrementAndGet();
            return encoded;
        }
        if (Arrays.equals(encoded, volume.uploadingRef(image.index())) && chunks.exists(ref)) {
            counters.skippedExisting.incrementAndGet();
            return encoded;
        }
        volume.noteUploading(image.index(), encoded);
        chunks.putAs(ref, data, data.length);
        counters.chunksUploaded.incrementAndGet();
        counters.bytesUploaded.addAndGet(data.length);
        return encoded;
    }

    @Override
    public void close() {
        closed = true;
        Thread thread = loop;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdownNow();
    }
}
