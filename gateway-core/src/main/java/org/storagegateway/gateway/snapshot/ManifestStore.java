package org.storagegateway.gateway.snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.storagegateway.gateway.cloud.ObjectStore;

/**
 * Manifests in the object store: {@code snapshots/<snap-id>/manifest.json} roots, recovery points at
 * {@code volumes/<vol-id>/recovery-point.json}, and the content-addressed segments they share under
 * {@code segments/<2 hex>/<64 hex>}. A segment already in the store is not uploaded again, so the snapshot of an
 * unchanged volume writes only its root.
 */
public final class ManifestStore {
    public static final String SNAPSHOTS = "snapshots/";
    public static final String SEGMENTS = "segments/";
    public static final String VOLUMES = "volumes/";

    private final ObjectStore store;

    public ManifestStore(ObjectStore store) {
        this.store = store;
    }

    /** What {@link #write} did: the root and how many segments it uploaded or found already there. */
    public record WriteResult(SnapshotManifest manifest, int segmentsWritten, int segmentsReused, long bytesWritten) {
    }

    public static String manifestKey(String snapshotId) {
        return SNAPSHOTS + ResourceIds.requireSnapshotId(snapshotId) + "/manifest.json";
    }

    public static String recoveryPointKey(String volumeId) {
        return VOLUMES + ResourceIds.requireVolumeId(volumeId) + "/recovery-point.json";
    }

    public static String segmentKey(String digest) {
        return SEGMENTS + digest.substring(0, 2) + "/" + digest;
    }

    /**
     * Uploads the segments of {@code entries} (in strictly increasing chunk order) that the store lacks, then the
     * root built from {@code header} (its segments and chunk count are filled in here), under {@code rootKey}.
     */
    public WriteResult write(String rootKey, SnapshotManifest header, Iterator<ManifestSegment.Entry> entries)
            throws IOException {
        int per = header.segmentChunks();
        List<SnapshotManifest.SegmentRef> refs = new ArrayList<>();
        List<ManifestSegment.Entry> pending = new ArrayList<>();
        long current = -1;
        long count = 0;
        int[] counts = new int[2];
        long[] bytes = new long[1];
        while (entries.hasNext()) {
            ManifestSegment.Entry entry = entries.next();
            long number = entry.index() / per;
            if (number != current && !pending.isEmpty()) {
                refs.add(writeSegment(current, per, pending, counts, bytes));
                pending.clear();
            }
            current = number;
            pending.add(entry);
            count++;
        }
        if (!pending.isEmpty()) {
            refs.add(writeSegment(current, per, pending, counts, bytes));
        }
        SnapshotManifest root = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, header.snapshotId(),
                header.volumeId(), header.volumeSize(), header.chunkSize(), per, header.created(), header.keyId(),
                header.description(), header.tags(), header.groupId(), count, refs);
        byte[] encoded = root.encode();
        store.put(rootKey, encoded);
        return new WriteResult(root, counts[0], counts[1], bytes[0] + encoded.length);
    }

    private SnapshotManifest.SegmentRef writeSegment(long number, int per, List<ManifestSegment.Entry> entries,
                                                     int[] counts, long[] bytes) throws IOException {
        byte[] encoded = new ManifestSegment(number * per, entries).encode();
        String digest = ManifestSegment.digestOf(encoded);
        String key = segmentKey(digest);
        if (store.exists(key)) {
            counts[1]++;
        } else {
            store.put(key, encoded);
            counts[0]++;
            bytes[0] += encoded.length;
        }
        return new SnapshotManifest.SegmentRef(number, entries.size(), digest);
    }

    /** Writes a root manifest whose segments are in the store already (a new point in time over old segments). */
    public void writeRoot(String rootKey, SnapshotManifest manifest) throws IOException {
        store.put(rootKey, manifest.encode());
    }

    /** The root under {@code rootKey}, or empty when there is none. */

    public Optional<SnapshotManifest> read(String rootKey) throws IOException {
        Optional<byte[]> bytes = store.get(rootKey);
        return bytes.isEmpty() ? Optional.empty() : Optional.of(SnapshotManifest.decode(bytes.get()));
    }

    /** Hands every entry of {@code manifest} to {@code sink}, segment by segment, in chunk order. */
    public void forEachEntry(SnapshotManifest manifest, Consumer<ManifestSegment.Entry> sink) throws IOException {
        for (SnapshotManifest.SegmentRef ref : manifest.segments()) {
            ManifestSegment segment = readSegment(manifest, ref);
            segment.entries().forEach(sink);
        }
    }

    /** One segment, checked against its name, its range and its entry count. */
    public ManifestSegment readSegment(SnapshotManifest manifest, SnapshotManifest.SegmentRef ref)
            throws IOException {
        String key = segmentKey(ref.digest());
        byte[] encoded = store.get(key).orElseThrow(() -> new IOException("manifest segment " + key
                + " is missing from " + store.describe()));
        if (!ManifestSegment.digestOf(encoded).equals(ref.digest())) {
            throw new IOException("manifest segment " + key + " does not match its name");
        }
        ManifestSegment segment;
        try {
            segment = ManifestSegment.decode(encoded, manifest.segmentChunks());
        } catch (IllegalArgumentException e) {
            throw new IOException("manifest segment " + key + ": " + e.getMessage(), e);
        }
        if (segment.first() != ref.number() * manifest.segmentChunks() || segment.entries().size() != ref.entries()) {
            throw new IOException("manifest segment " + key + " is not the one the root names");
        }
        return segment;
    }

    /** Ids of every snapshot whose root is in the store. */
    public List<String> listSnapshotIds() throws IOException {
        List<String> ids = new ArrayList<>();
        for (ObjectStore.ObjectInfo info : store.list(SNAPSHOTS)) {
            String rest = info.key().substring(SNAPSHOTS.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && rest.substring(slash).equals("/manifest.json") && ResourceIds.isSnapshotId(
                    rest.substring(0, slash))) {
                ids.add(rest.substring(0, slash));
            }
        }
        return ids;
    }

    /** Deletes a root; its segments and chunks stay until garbage collection proves nothing else uses them. */
    public void delete(String rootKey) throws IOException {
        store.delete(rootKey);
    }

    public ObjectStore objectStore() {
        return store;
    }
}
