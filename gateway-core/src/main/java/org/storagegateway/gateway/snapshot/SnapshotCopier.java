package org.storagegateway.gateway.snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.ChunkStore;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.SealedObjectStore;

/**
 * Copies a completed snapshot to another object store (another bucket, prefix, endpoint or encryption key), like
 * EBS CopySnapshot: its chunks, then its segments, then its root last, so the destination never shows a snapshot
 * whose chunks are missing. A chunk the destination already holds is not uploaded again, and a copy that failed
 * midway finishes when run again (every step is a put of content-named or same-named objects).
 *
 * <p>The copy keeps its snapshot id: it is the same point in time, the destination is another namespace (a bucket,
 * not an AWS region shared by every account), a re-run after a failure lands on the same root instead of leaving a
 * half-copied twin, and the earlier copies of a volume are found by id to make the next one incremental. A root
 * already at the destination under that id but of another volume or instant is refused, never overwritten.
 *
 * <p>Chunk names are keyed HMACs when objects are sealed, so the two stores may name one content differently: the
 * destination manifest then carries the destination's names. Finding a chunk's destination name takes its content,
 * so a copy between differently named stores reads every chunk from the source, except where an earlier copy of
 * the same volume at the destination (the newest one not newer than this snapshot, whose source still exists)
 * already pairs the source name with the destination's; an incremental copy then reads only the changed chunks.
 * Memory is bounded: one segment's entries at a time, and one chunk buffer per copying thread.
 */
public final class SnapshotCopier {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCopier.class);
    /** Chunk copies in flight at once by default. */
    public static final int DEFAULT_CONCURRENCY = 8;
    private static final byte[] PROBE = "storage-gateway chunk naming probe".getBytes(StandardCharsets.US_ASCII);

    /** One end of a copy: the manifests and the chunks of one object store. */
    public record Side(ManifestStore manifests, ChunkStore chunks) {
        public Side {
            Objects.requireNonNull(manifests, "manifests");
            Objects.requireNonNull(chunks, "chunks");
        }

        /** The manifests and chunks of an opened store. */
        public static Side of(CloudStore cloud) {
            return new Side(new ManifestStore(cloud.objects()), cloud.chunks());
        }

        String describe() {
            return manifests.objectStore().describe();
        }
    }

    /**
     * What a copy did.
     *
     * @param manifest      the root written at the destination (destination chunk names)
     * @param chunksCopied  chunk objects read from the source and uploaded (a content the snapshot holds at several
     *                      indexes of one segment counts once)
     * @param chunksSkipped chunk objects the destination already held
     * @param bytesCopied   plain bytes of the chunks uploaded (before compression and sealing)
     */
    public record Result(SnapshotManifest manifest, long chunksCopied, long chunksSkipped, long bytesCopied) {
        public Result {
            Objects.requireNonNull(manifest, "manifest");
            if (chunksCopied < 0 || chunksSkipped < 0 || bytesCopied < 0) {
                throw new IllegalArgumentException(String.format("negative counts: %d copied, %d skipped, %d bytes",
                        chunksCopied, chunksSkipped, bytesCopied));
            }
        }
    }

    private final Side source;
    private final Side destination;
    private final int concurrency;

    public SnapshotCopier(Side source, Side destination, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.source = Objects.requireNonNull(source, "source");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.concurrency = concurrency;
    }

    /**
     * Copies the snapshot; throws NoSuchElementException when the source has no completed snapshot of that id, and
     * IOException when either store fails (nothing is then visible at the destination; run it again).
     */
    public Result copy(String snapshotId) throws IOException {
        String rootKey = ManifestStore.manifestKey(snapshotId);
        SnapshotManifest snapshot = source.manifests().read(rootKey).orElseThrow(() -> new NoSuchElementException(
                "no completed snapshot " + snapshotId + " in " + source.describe()));
        Optional<SnapshotManifest> there = destination.manifests().read(rootKey);
        if (there.isPresent() && !samePointInTime(there.get(), snapshot)) {
            throw new IllegalStateException(String.format("%s already holds a snapshot %s of %s taken %s, not this"
                    + " one of %s taken %s: refused", destination.describe(), snapshotId, there.get().volumeId(),
                    there.get().created(), snapshot.volumeId(), snapshot.created()));
        }
        boolean sameNames = source.chunks().refOf(PROBE, PROBE.length)
                .equals(destination.chunks().refOf(PROBE, PROBE.length));
        Optional<Base> base = sameNames ? Optional.empty() : base(snapshot);
        SnapshotManifest header = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, snapshotId,
                snapshot.volumeId(), snapshot.volumeSize(), snapshot.chunkSize(), snapshot.segmentChunks(),
                snapshot.created(), destinationKeyId(), snapshot.description(), snapshot.tags(), snapshot.groupId(), 0,
                List.of());
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "snapshot-copy-" + snapshotId);
            thread.setDaemon(true);
            return thread;
        });
        try {
            Copy copy = new Copy(snapshot, base.orElse(null), sameNames, workers);
            ManifestStore.WriteResult written;
            try {
                written = destination.manifests().write(rootKey, header, copy);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            LOG.info("Snapshot {} copied from {} to {}: {} chunks copied ({} bytes), {} already there{}", snapshotId,
                    source.describe(), destination.describe(), copy.copied, copy.bytes, copy.skipped,
                    base.map(b -> ", incremental from " + b.destination().snapshotId()).orElse(""));
            return new Result(written.manifest(), copy.copied.get(), copy.skipped.get(), copy.bytes.get());
        } finally {
            stop(workers);
        }
    }

    /** Stops the copies still running (after a failure) and waits for them, so none writes after copy returns. */
    private static void stop(ExecutorService workers) {
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("Chunk copies still run a minute after the copy stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean samePointInTime(SnapshotManifest a, SnapshotManifest b) {
        return a.volumeId().equals(b.volumeId()) && a.createdAt().equals(b.createdAt())
                && a.chunkSize() == b.chunkSize() && a.segmentChunks() == b.segmentChunks()
                && a.volumeSize() == b.volumeSize();
    }

    /** The key id the destination seals with, as the manifest records it; null when it does not seal. */
    private String destinationKeyId() {
        return destination.manifests().objectStore() instanceof SealedObjectStore sealed
                ? sealed.activeKeyId() : null;
    }

    /** An earlier copy of the same volume: its root at the source and at the destination, naming the same chunks. */
    private record Base(SnapshotManifest source, SnapshotManifest destination) {
    }

    /** The newest copy at the destination of the same volume, not newer than {@code snapshot}, still at the source. */
    private Optional<Base> base(SnapshotManifest snapshot) throws IOException {
        List<SnapshotManifest> candidates = new ArrayList<>();
        for (String id : destination.manifests().listSnapshotIds()) {
            readQuietly(destination, id).filter(m -> m.volumeId().equals(snapshot.volumeId())
                    && m.chunkSize() == snapshot.chunkSize() && m.segmentChunks() == snapshot.segmentChunks()
                    && !m.createdAt().isAfter(snapshot.createdAt())).ifPresent(candidates::add);
        }
        candidates.sort(Comparator.comparing(SnapshotManifest::createdAt).reversed());
        for (SnapshotManifest copied : candidates) {
            Optional<SnapshotManifest> original = readQuietly(source, copied.snapshotId());
            if (original.isPresent() && samePointInTime(original.get(), copied)) {
                return Optional.of(new Base(original.get(), copied));
            }
        }
        return Optional.empty();
    }

    /** A root, or empty when it is missing or damaged: an earlier copy only saves work, it is never required. */
    private static Optional<SnapshotManifest> readQuietly(Side side, String snapshotId) {
        try {
            return side.manifests().read(ManifestStore.manifestKey(snapshotId));
        } catch (IOException e) {
            LOG.warn("Snapshot {} in {} is unreadable, so a copy does not start from it: {}", snapshotId,
                    side.describe(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The destination's entries, produced segment by segment: each source segment's chunks are copied (in
     * parallel) before any of its entries is handed on, so the manifest store writes a segment only once every chunk
     * it names is at the destination.
     */
    private final class Copy implements Iterator<ManifestSegment.Entry> {
        private final SnapshotManifest snapshot;
        private final Iterator<SnapshotManifest.SegmentRef> segments;
        private final Base base;
        private final Map<Long, SnapshotManifest.SegmentRef> baseSource = new HashMap<>();
        private final Map<Long, SnapshotManifest.SegmentRef> baseDestination = new HashMap<>();
        private final boolean sameNames;
        private final ExecutorService workers;
        private final ThreadLocal<byte[]> buffers;
        private final ArrayDeque<ManifestSegment.Entry> ready = new ArrayDeque<>();
        final AtomicLong copied = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        Copy(SnapshotManifest snapshot, Base base, boolean sameNames, ExecutorService workers) {
            this.snapshot = snapshot;
            this.base = base;
            this.segments = snapshot.segments().iterator();
            this.sameNames = sameNames;
            this.workers = workers;
            this.buffers = ThreadLocal.withInitial(() -> new byte[snapshot.chunkSize()]);
            if (base != null) {
                base.source().segments().forEach(ref -> baseSource.put(ref.number(), ref));
                base.destination().segments().forEach(ref -> baseDestination.put(ref.number(), ref));
            }
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && segments.hasNext()) {
                try {
                    copySegment(segments.next());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return !ready.isEmpty();
        }

        @Override
        public ManifestSegment.Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void copySegment(SnapshotManifest.SegmentRef ref) throws IOException {
            ManifestSegment segment = source.manifests().readSegment(snapshot, ref);
            Map<ChunkRef, ChunkRef> known = knownNames(ref.number());
            // One copy per distinct chunk: identical chunks in a segment are one object at either end.
            Map<ChunkRef, Future<ChunkRef>> copies = new LinkedHashMap<>();
            for (ManifestSegment.Entry entry : segment.entries()) {
                copies.computeIfAbsent(entry.ref(), chunk -> workers.submit(() -> copyChunk(chunk,
                        known.get(chunk))));
            }
            for (ManifestSegment.Entry entry : segment.entries()) {
                ready.add(new ManifestSegment.Entry(entry.index(), await(copies.get(entry.ref()))));
            }
        }

        /** Source names paired with destination names by the earlier copy's segment of the same range. */
        private Map<ChunkRef, ChunkRef> knownNames(long number) {
            SnapshotManifest.SegmentRef before = baseSource.get(number);
            SnapshotManifest.SegmentRef after = baseDestination.get(number);
            Map<ChunkRef, ChunkRef> known = new HashMap<>();
            if (before == null || after == null) {
                return known;
            }
            try {
                Map<Long, ChunkRef> byIndex = new HashMap<>();
                source.manifests().readSegment(base.source(), before).entries()
                        .forEach(entry -> byIndex.put(entry.index(), entry.ref()));
                for (ManifestSegment.Entry entry : destination.manifests().readSegment(base.destination(), after)
                        .entries()) {
                    ChunkRef name = byIndex.get(entry.index());
                    if (name != null) {
                        known.put(name, entry.ref());
                    }
                }
            } catch (IOException e) {
                LOG.warn("An earlier copy's segment {} is unreadable; its chunks are read again: {}", number,
                        e.getMessage());
                known.clear();
            }
            return known;
        }

        /** Copies one chunk unless the destination holds it; returns its destination name. */
        private ChunkRef copyChunk(ChunkRef chunk, ChunkRef known) throws IOException {
            ChunkStore target = destination.chunks();
            ChunkRef name = sameNames ? chunk : known;
            if (name != null && target.exists(name)) {
                skipped.incrementAndGet();
                return name;
            }
            byte[] buffer = buffers.get();
            int length = source.chunks().get(chunk, buffer);
            if (!sameNames) {
                name = target.refOf(buffer, length);
                if (target.exists(name)) {
                    skipped.incrementAndGet();
                    return name;
                }
            }
            target.putAs(name, buffer, length);
            copied.incrementAndGet();
            bytes.addAndGet(length);
            return name;
        }

        private ChunkRef await(Future<ChunkRef> copy) throws IOException {
            try {
                return copy.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while copying snapshot " + snapshot.snapshotId());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException("copying a chunk of " + snapshot.snapshotId() + " failed", e.getCause());
            }
        }
    }
}
