package org.storagegateway.gateway.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.storagegateway.gateway.snapshot.AtomicFiles;

/**
 * The volumes made through the management API (the configuration file's disks are not here), kept in one JSON file
 * in the data directory and replaced whole by an atomic rename, so a crash leaves the list before a change or after
 * it. Each volume passes through states that let a restart finish what a crash interrupted: a volume is recorded
 * {@link State#CREATING} before its cache volume is made and filled from its source, and {@link State#DELETING}
 * before its data is dropped.
 */
public final class VolumeCatalog {
    static final String FILE_NAME = "volumes.json";

    /** Where a volume is in its life. */
    public enum State {
        /** Recorded; its cache volume may not exist yet, or not hold all its source's references. */
        CREATING,
        /** Made and served. */
        AVAILABLE,
        /** Being deleted: no longer served, its cache volume may still exist. */
        DELETING
    }

    /**
     * One volume made through the API.
     *
     * @param name             its name in the cache (the API's TargetName)
     * @param volumeId         its id ({@code vol-} and 17 hex digits)
     * @param stored           a stored volume (all data local), else cached
     * @param sizeBytes        its capacity
     * @param targetName       the iSCSI target serving it as LUN 0
     * @param networkInterface the address the API named (NetworkInterfaceId)
     * @param sourceSnapshotId the snapshot it was made from, or null
     * @param sourceVolumeId   the volume whose latest recovery point it was cloned from, or null
     * @param clientToken      the creating request's idempotency token
     * @param createdAt        when it was created, epoch milliseconds
     * @param state            where it is in its life
     * @param detached           whether it is detached (DetachVolume): kept and uploading, but on no target
     */
    public record Entry(String name, String volumeId, boolean stored, long sizeBytes, String targetName,
                        String networkInterface, String sourceSnapshotId, String sourceVolumeId, String clientToken,
                        long createdAt, State state, boolean detached) {
        public Entry with(State next) {
            return new Entry(name, volumeId, stored, sizeBytes, targetName, networkInterface, sourceSnapshotId,
                    sourceVolumeId, clientToken, createdAt, next, detached);
        }

        /** The same volume on another target (or none, detached). */
        public Entry attachedTo(String newTargetName, String newNetworkInterface, boolean nowDetached) {
            return new Entry(name, volumeId, stored, sizeBytes, newTargetName, newNetworkInterface,
                    sourceSnapshotId, sourceVolumeId, clientToken, createdAt, state, nowDetached);
        }
    }

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private List<Entry> entries;

    private VolumeCatalog(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads the catalog kept in {@code dataDirectory}, or starts empty. */
    public static VolumeCatalog open(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return new VolumeCatalog(file, List.of());
        }
        try {
            return new VolumeCatalog(file, List.copyOf(new ObjectMapper().readValue(file.toFile(),
                    new TypeReference<List<Entry>>() { })));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the volumes made through the API, in " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every volume, in the order they were created. */
    public synchronized List<Entry> all() {
        return entries;
    }

    public synchronized Optional<Entry> byName(String name) {
        return entries.stream().filter(entry -> entry.name().equals(name)).findFirst();
    }

    public synchronized Optional<Entry> byId(String volumeId) {
        return entries.stream().filter(entry -> entry.volumeId().equals(volumeId)).findFirst();
    }

    /** Records a new volume, durably; one of the same name or id is refused. */
    public synchronized void add(Entry entry) throws IOException {
        if (byName(entry.name()).isPresent() || byId(entry.volumeId()).isPresent()) {
            throw new IllegalArgumentException("a volume named " + entry.name() + " or with id " + entry.volumeId()
                    + " exists already");
        }
        List<Entry> next = new ArrayList<>(entries);
        next.add(entry);
        save(next);
    }

    /** Moves a volume to another state, durably. */
    public synchronized Entry update(String name, State state) throws IOException {
        Entry current = byName(name).orElseThrow(() -> new IllegalArgumentException("no volume " + name));
        return replace(current.with(state));
    }

    /** Replaces the entry of the volume of that name, durably. */
    public synchronized Entry replace(Entry updated) throws IOException {
        Entry current = byName(updated.name())
                .orElseThrow(() -> new IllegalArgumentException("no volume " + updated.name()));
        List<Entry> next = new ArrayList<>(entries);
        next.set(next.indexOf(current), updated);
        save(next);
        return updated;
    }

    /** Forgets a volume, durably. */
    public synchronized void remove(String name) throws IOException {
        List<Entry> next = new ArrayList<>(entries);
        next.removeIf(entry -> entry.name().equals(name));
        save(next);
    }

    private void save(List<Entry> next) throws IOException {
        AtomicFiles.write(file, json.writeValueAsBytes(next));
        entries = List.copyOf(next);
    }
}
