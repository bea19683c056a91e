package org.storagegateway.gateway.snapshot;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.ChunkStore;
import org.storagegateway.gateway.cloud.ObjectStore;

/**
 * Deletes chunk and segment objects nothing references: mark every snapshot manifest, every recovery point and
 * every live volume's remote references, then sweep what is unmarked and older than a grace period. The candidates
 * are listed before marking and the grace period spares young objects, so chunks uploaded for a snapshot whose
 * manifest is not yet written (here or on another gateway sharing the bucket) are never collected.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    private static final String CHUNKS = "chunks/";
    private static final int REFS_BATCH = 1024;

    private final ObjectStore store;
    private final ChunkStore chunks;
    private final ManifestStore manifests;
    private final Clock clock;

    /** What one collection found and did. */
    public record Result(long referenced, long deleted, long sparedYoung) {
    }

    public GarbageCollector(ObjectStore store, ChunkStore chunks, Clock clock) {
        this.store = store;
        this.chunks = chunks;
        this.manifests = new ManifestStore(store);
        this.clock = clock;
    }

    /** Collects unreferenced objects older than {@code grace}; {@code live} volumes' remote references count too. */
    public Result collect(Duration grace, Collection<CachedVolume> live) throws IOException {
        Instant cutoff = clock.instant().minus(grace);
        List<ObjectStore.ObjectInfo> candidates = new java.util.ArrayList<>(store.list(CHUNKS));
        candidates.addAll(store.list(ManifestStore.SEGMENTS));
        Set<String> marked = new HashSet<>();
        for (ObjectStore.ObjectInfo root : roots()) {
            SnapshotManifest manifest = manifests.read(root.key()).orElse(null);
            if (manifest == null) {
                continue;
            }
            for (SnapshotManifest.SegmentRef segment : manifest.segments()) {
                marked.add(ManifestStore.segmentKey(segment.digest()));
            }
            manifests.forEachEntry(manifest, entry -> marked.add(chunks.keyOf(entry.ref())));
        }
        for (CachedVolume volume : live) {
            for (long from = 0; ; ) {
                List<CachedVolume.RemoteRef> refs = volume.remoteRefs(from, REFS_BATCH);
                refs.forEach(ref -> marked.add(chunks.keyOf(ChunkRef.decode(ref.ref()))));
                if (refs.size() < REFS_BATCH) {
                    break;
                }
                from = refs.get(refs.size() - 1).index() + 1;
            }
        }
        long referenced = 0;
        long deleted = 0;
        long young = 0;
        for (ObjectStore.ObjectInfo candidate : candidates) {
            if (marked.contains(candidate.key())) {
                referenced++;
            } else if (!candidate.lastModified().isBefore(cutoff)) {
                young++;
            } else {
                store.delete(candidate.key());
                deleted++;
            }
        }
        LOG.info("Garbage collection in {}: {} objects referenced, {} deleted, {} young ones spared",
                store.describe(), referenced, deleted, young);
        return new Result(referenced, deleted, young);
    }

    /** Every manifest root: snapshots and recovery points. */
    private List<ObjectStore.ObjectInfo> roots() throws IOException {
        List<ObjectStore.ObjectInfo> roots = new java.util.ArrayList<>();
        for (ObjectStore.ObjectInfo info : store.list(ManifestStore.SNAPSHOTS)) {
            if (info.key().endsWith("/manifest.json")) {
                roots.add(info);
            }
        }
        for (ObjectStore.ObjectInfo info : store.list(ManifestStore.VOLUMES)) {
            if (info.key().endsWith("/recovery-point.json")) {
                roots.add(info);
            }
        }
        return roots;
    }
}
