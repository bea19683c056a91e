package org.storagegateway.gateway.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.upload.Uploader;

/**
 * Point-in-time snapshots of volumes, one or a consistent group at one instant: taking one closes the volumes'
 * generations ({@link BlockCache#advanceGenerations}) and holds the uploader at them; once the uploader drained
 * those generations, the volume's remote references are exactly the snapshot, and its manifest is written from
 * them. Records persist under {@code <data>/snapshots/} so that a pending snapshot completes after a restart.
 */
public final class SnapshotManager implements Uploader.PassListener {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotManager.class);
    private static final int REFS_BATCH = 1024;

    /** A volume as snapshots know it: its id in the bucket and its cache volume. */
    public record Source(String volumeId, CachedVolume volume) {
        public Source {
            ResourceIds.requireVolumeId(volumeId);
        }
    }

    /** A snapshot's state and, while pending, the share of its chunks uploaded (0 to 100). */
    public record Description(SnapshotRecord record, int progress) {
    }

    private final Path directory;
    private final BlockCache cache;
    private final Uploader uploader;
    private final ManifestStore manifests;
    private final Clock clock;
    private final Map<String, SnapshotRecord> records = new ConcurrentHashMap<>();
    private final Map<String, CachedVolume> attached = new ConcurrentHashMap<>();

    public SnapshotManager(Path dataDirectory, BlockCache cache, Uploader uploader, ManifestStore manifests,
                           Clock clock) throws IOException {
        this.directory = dataDirectory.resolve("snapshots");
        this.cache = cache;
        this.uploader = uploader;
        this.manifests = manifests;
        this.clock = clock;
        Files.createDirectories(directory);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json")) {
                    SnapshotRecord record = SnapshotRecord.decode(Files.readAllBytes(file));
                    records.put(record.snapshotId(), record);
                }
            }
        }
        uploader.addListener(this);
    }

    /**
     * Makes a volume (registered with the uploader) known to snapshots; its pending snapshots from before a
     * restart hold the uploader again.
     */
    public void attach(CachedVolume volume) {
        attached.put(volume.name(), volume);
        for (SnapshotRecord record : records.values()) {
            if (record.volumeName().equals(volume.name()) && record.state() == SnapshotRecord.State.PENDING) {
                uploader.hold(volume.name(), record.generation());
            }
        }
    }

    public void detach(String volumeName) {
        attached.remove(volumeName);
    }

    /** Snapshots one volume; returns its id at once, while the snapshot is pending. */
    public String snapshot(Source source, String description, Map<String, String> tags) throws IOException {
        return snapshotGroup(List.of(source), description, tags).get(0);
    }

    /**
     * Snapshots every listed volume at one instant (volumes striped together must be captured together), tagging
     * each with one group id; returns their snapshot ids in the order given.
     */
    public synchronized List<String> snapshotGroup(List<Source> sources, String description,
                                                   Map<String, String> tags) throws IOException {
        List<CachedVolume> volumes = sources.stream().map(Source::volume).toList();
        // Hold first, at the generation about to close: a version written after the instant must never upload
        // before the manifest is written.
        Map<CachedVolume, Long> held = new LinkedHashMap<>();
        for (CachedVolume volume : volumes) {
            held.put(volume, volume.generation());
            uploader.hold(volume.name(), volume.generation());
        }
        Map<CachedVolume, Long> closed;
        try {
            closed = cache.advanceGenerations(volumes);
        } catch (IOException | RuntimeException e) {
            held.forEach((volume, generation) -> uploader.release(volume.name(), generation));
            throw e;
        }
        String created = clock.instant().toString();
        String groupId = sources.size() > 1 ? "grp-" + ResourceIds.newSnapshotId().substring(5) : null;
        List<String> ids = new ArrayList<>();
        for (Source source : sources) {
            CachedVolume volume = source.volume();
            long generation = closed.get(volume);
            uploader.hold(volume.name(), generation);
            SnapshotRecord record = new SnapshotRecord(ResourceIds.newSnapshotId(), source.volumeId(),
                    volume.name(), generation, volume.size(), volume.chunkSize(), created, description, tags,
                    groupId, SnapshotRecord.State.PENDING, Uploader.pending(volume, generation), null);
            save(record);
            attached.putIfAbsent(volume.name(), volume);
            ids.add(record.snapshotId());
        }
        held.forEach((volume, generation) -> uploader.release(volume.name(), generation));
        uploader.wakeUp();
        return ids;
    }

    /** Completes every pending snapshot of the volume whose generation the uploader has drained. */
    @Override
    public void afterPass(CachedVolume volume) throws IOException {
        List<SnapshotRecord> pending = records.values().stream()
                .filter(r -> r.state() == SnapshotRecord.State.PENDING && r.volumeName().equals(volume.name()))
                .sorted(Comparator.comparingLong(SnapshotRecord::generation)).toList();
        for (SnapshotRecord record : pending) {
            if (!Uploader.drained(volume, record.generation())) {
                return;
            }
            complete(record, volume);
        }
    }

    private synchronized void complete(SnapshotRecord record, CachedVolume volume) throws IOException {
        if (records.get(record.snapshotId()) != record) {
            return;
        }
        SnapshotManifest header = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, record.snapshotId(),
                record.volumeId(), record.volumeSize(), record.chunkSize(), SnapshotManifest.DEFAULT_SEGMENT_CHUNKS,
                record.created(), null, record.description(), record.tags(), record.groupId(), 0, List.of());
        ManifestStore.WriteResult result = manifests.write(ManifestStore.manifestKey(record.snapshotId()), header,
                remoteEntries(volume, record.volumeSize()));
        save(record.with(SnapshotRecord.State.COMPLETED, null));
        uploader.release(volume.name(), record.generation());
        LOG.info("Snapshot {} of {} completed: {} chunks, {} segments written, {} reused", record.snapshotId(),
                record.volumeId(), result.manifest().chunkCount(), result.segmentsWritten(),
                result.segmentsReused());
    }

    /** The volume's remote references as manifest entries, in chunk order, read in batches. */
    static Iterator<ManifestSegment.Entry> remoteEntries(CachedVolume volume, long size) {
        long chunks = (size + volume.chunkSize() - 1) / volume.chunkSize();
        return new Iterator<>() {
            private List<CachedVolume.RemoteRef> batch = volume.remoteRefs(0, REFS_BATCH);
            private int position;

            @Override
            public boolean hasNext() {
                if (position == batch.size() && batch.size() == REFS_BATCH) {
                    batch = volume.remoteRefs(batch.get(batch.size() - 1).index() + 1, REFS_BATCH);
                    position = 0;
                }
                return position < batch.size() && batch.get(position).index() < chunks;
            }

            @Override
            public ManifestSegment.Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CachedVolume.RemoteRef ref = batch.get(position++);
                return new ManifestSegment.Entry(ref.index(), ChunkRef.decode(ref.ref()));
            }
        };
    }

    /** Every snapshot this gateway took, oldest first. */
    public List<SnapshotRecord> list() {
        return records.values().stream().sorted(Comparator.comparing(SnapshotRecord::created)
                .thenComparing(SnapshotRecord::snapshotId)).toList();
    }

    public Optional<Description> describe(String snapshotId) {
        SnapshotRecord record = records.get(snapshotId);
        if (record == null) {
            return Optional.empty();
        }
        int progress = 100;
        CachedVolume volume = attached.get(record.volumeName());
        if (record.state() != SnapshotRecord.State.COMPLETED) {
            progress = 0;
            if (volume != null && record.initialChunks() > 0) {
                long left = Uploader.pending(volume, record.generation());
                progress = (int) (100 * (record.initialChunks() - Math.min(left, record.initialChunks()))
                        / record.initialChunks());
            }
        }
        return Optional.of(new Description(record, progress));
    }

    /**
     * Deletes a snapshot: its manifest root (segments and chunks go when garbage collection finds nothing else uses
     * them) and its record; a pending one stops holding the uploader.
     */
    public synchronized void delete(String snapshotId) throws IOException {
        SnapshotRecord record = records.get(ResourceIds.requireSnapshotId(snapshotId));
        if (record == null) {
            throw new NoSuchElementException("no snapshot " + snapshotId);
        }
        manifests.delete(ManifestStore.manifestKey(snapshotId));
        Files.deleteIfExists(directory.resolve(snapshotId + ".json"));
        records.remove(snapshotId);
        if (record.state() == SnapshotRecord.State.PENDING) {
            uploader.release(record.volumeName(), record.generation());
        }
    }

    /**
     * Makes {@code target} (a new, empty volume opened with a chunk source over the same chunk store) hold the
     * snapshot's content: its remote references are preloaded, so it is usable at once and reads fetch lazily.
     */
    public SnapshotManifest restore(String snapshotId, CachedVolume target) throws IOException {
        SnapshotManifest manifest = completed(snapshotId)
                .orElseThrow(() -> new NoSuchElementException("no completed snapshot " + snapshotId));
        restore(manifest, target);
        return manifest;
    }

    /** The manifest of a completed snapshot in the object store (this gateway's or another's), or empty. */
    public Optional<SnapshotManifest> completed(String snapshotId) throws IOException {
        return manifests.read(ManifestStore.manifestKey(snapshotId));
    }

    /** Preloads a manifest's (snapshot's or recovery point's) references into a new volume. */
    public void restore(SnapshotManifest manifest, CachedVolume target) throws IOException {
        restore(manifests, manifest, target);
    }

    /**
     * Preloads a manifest read from {@code manifests} (any object store's, such as a copy's destination) into a new
     * volume opened with a chunk source over the same store's chunks.
     */
    public static void restore(ManifestStore manifests, SnapshotManifest manifest, CachedVolume target)
            throws IOException {
        if (manifest.chunkSize() != target.chunkSize()) {
            throw new IOException(String.format("snapshot %s has %d-byte chunks; volume %s has %d",
                    manifest.snapshotId(), manifest.chunkSize(), target.name(), target.chunkSize()));
        }
        if (target.size() < manifest.volumeSize()) {
            throw new IOException(String.format("volume %s (%d bytes) is smaller than snapshot %s (%d bytes)",
                    target.name(), target.size(), manifest.snapshotId(), manifest.volumeSize()));
        }
        List<CachedVolume.RemoteRef> batch = new ArrayList<>();
        IOException[] failure = new IOException[1];
        manifests.forEachEntry(manifest, entry -> {
            batch.add(new CachedVolume.RemoteRef(entry.index(), entry.ref().encode()));
            if (batch.size() == REFS_BATCH && failure[0] == null) {
                try {
                    target.putRemoteRefs(List.copyOf(batch));
                } catch (IOException e) {
                    failure[0] = e;
                }
                batch.clear();
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        if (!batch.isEmpty()) {
            target.putRemoteRefs(batch);
        }
        if (target.mode() == VolumeMode.STORED) {
            // A stored volume keeps all its data locally: it copies the snapshot in while it already serves.
            target.hydrateInBackground(() -> LOG.info("Volume {} holds all of {} locally", target.name(),
                    manifest.snapshotId() == null ? "the recovery point" : manifest.snapshotId()));
        }
    }

    /**
     * Uploads a recovery point of a cached volume: a manifest of its latest uploaded state (its remote references
     * now), replacing the previous one, from which {@link #cloneFromRecoveryPoint} makes new volumes.
     */
    public ManifestStore.WriteResult writeRecoveryPoint(Source source) throws IOException {
        CachedVolume volume = source.volume();
        SnapshotManifest header = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, null, source.volumeId(),
                volume.size(), volume.chunkSize(), SnapshotManifest.DEFAULT_SEGMENT_CHUNKS,
                clock.instant().toString(), null, "recovery point", Map.of(), null, 0, List.of());
        return manifests.write(ManifestStore.recoveryPointKey(source.volumeId()), header,
                remoteEntries(volume, volume.size()));
    }

    /** A snapshot made from a recovery point, and the instant the recovery point holds. */
    public record RecoveryPointSnapshot(String snapshotId, Instant recoveryPointTime) {
    }

    /**
     * Makes a completed snapshot of a volume's latest recovery point at once: the recovery point's segments and
     * chunks are in the store already (segments are named by their content), so only a new root manifest uploads.
     */
    public synchronized RecoveryPointSnapshot snapshotFromRecoveryPoint(Source source, String description,
                                                                     Map<String, String> tags) throws IOException {
        SnapshotManifest point = manifests.read(ManifestStore.recoveryPointKey(source.volumeId()))
                .orElseThrow(() -> new NoSuchElementException("volume " + source.volumeId()
                        + " has no recovery point yet"));
        String id = ResourceIds.newSnapshotId();
        String created = clock.instant().toString();
        manifests.writeRoot(ManifestStore.manifestKey(id), new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, id,
                point.volumeId(), point.volumeSize(), point.chunkSize(), point.segmentChunks(), created,
                point.keyId(), description, tags, null, point.chunkCount(), point.segments()));
        CachedVolume volume = source.volume();
        save(new SnapshotRecord(id, source.volumeId(), volume.name(), 0, point.volumeSize(), point.chunkSize(),
                created, description, tags, null, SnapshotRecord.State.COMPLETED, 0, null));
        LOG.info("Snapshot {} of {} made from its recovery point of {}", id, source.volumeId(), point.created());
        return new RecoveryPointSnapshot(id, point.createdAt());
    }

    /** The latest recovery point of a volume, or empty when none was written. */
    public Optional<SnapshotManifest> recoveryPoint(String volumeId) throws IOException {
        return manifests.read(ManifestStore.recoveryPointKey(volumeId));
    }

    /** Makes {@code target} (new, empty, with a chunk source) a clone of a volume's latest recovery point. */
    public SnapshotManifest cloneFromRecoveryPoint(String volumeId, CachedVolume target) throws IOException {
        SnapshotManifest manifest = manifests.read(ManifestStore.recoveryPointKey(volumeId))
                .orElseThrow(() -> new NoSuchElementException("volume " + volumeId + " has no recovery point"));
        restore(manifest, target);
        return manifest;
    }

    private void save(SnapshotRecord record) throws IOException {
        AtomicFiles.write(directory.resolve(record.snapshotId() + ".json"), record.encode());
        records.put(record.snapshotId(), record);
    }

    /** Every snapshot record by id (for garbage collection and schedules). */
    public Map<String, SnapshotRecord> records() {
        return new LinkedHashMap<>(records);
    }
}
