package org.storagegateway.gateway.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.storagegateway.gateway.cloud.BandwidthSchedule;

/**
 * What the management API changes and a restart must keep: the gateway's name and time zone as set through the API, its
 * bandwidth limits and schedule, tags by resource ARN, and CHAP secrets by target and initiator (so the file is
 * readable by its owner only). Kept in one JSON file in the data directory, replaced whole by an atomic rename after an
 * fsync, so a crash leaves the old state or the new one, never half of either.
 */
public final class ManagementState {
    static final String FILE_NAME = "management.json";

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private Snapshot state;
    private final List<Consumer<String>> timezoneListeners = new CopyOnWriteArrayList<>();

    /** The persisted form; fields absent in older files read as empty. */
    record Snapshot(String gatewayName, String timezone, Map<String, Map<String, String>> tags,
                    Map<String, Map<String, ChapSecrets>> chap, BandwidthSchedule bandwidth) {
        Snapshot {
            tags = tags == null ? Map.of() : tags;
            chap = chap == null ? Map.of() : chap;
        }
    }

    /**
     * One initiator's CHAP secrets for one target.
     *
     * @param initiatorSecret the secret the initiator proves it knows
     * @param targetSecret    the secret the target proves it knows (mutual CHAP), or null
     */
    public record ChapSecrets(String initiatorSecret, String targetSecret) {
    }

    private ManagementState(Path file, Snapshot state) {
        this.file = file;
        this.state = state;
    }

    /** Reads the state kept in {@code dataDirectory}, or starts empty. */
    public static ManagementState open(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                return new ManagementState(file, new Snapshot(null, null, Map.of(), Map.of(), null));
            }
            return new ManagementState(file, new ObjectMapper().readValue(file.toFile(), Snapshot.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the management state in " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized Optional<String> gatewayName() {
        return Optional.ofNullable(state.gatewayName());
    }

    public synchronized Optional<String> timezone() {
        return Optional.ofNullable(state.timezone());
    }

    /** Sets the name and/or time zone (null: unchanged), durably; a new time zone is told to the listeners. */
    public void updateGateway(String name, String timezone) throws IOException {
        synchronized (this) {
            save(new Snapshot(name != null ? name : state.gatewayName(),
                    timezone != null ? timezone : state.timezone(), state.tags(), state.chap(), state.bandwidth()));
        }
        if (timezone != null) {
            timezoneListeners.forEach(listener -> listener.accept(timezone));
        }
    }

    /** Tells {@code listener} each time zone UpdateGatewayInformation sets (schedules follow it). */
    public void onTimezoneChange(Consumer<String> listener) {
        timezoneListeners.add(listener);
    }

    /** A resource's tags, in the order they were first set. */
    public synchronized Map<String, String> tags(String arn) {
        return Map.copyOf(state.tags().getOrDefault(arn, Map.of()));
    }

    /** Ordered copy of a resource's tags, for listings. */
    public synchronized LinkedHashMap<String, String> orderedTags(String arn) {
        return new LinkedHashMap<>(state.tags().getOrDefault(arn, Map.of()));
    }

    /** Replaces the tags of a resource (empty: removes them), durably. */
    public synchronized void setTags(String arn, Map<String, String> tags) throws IOException {
        Map<String, Map<String, String>> all = new LinkedHashMap<>(state.tags());
        if (tags.isEmpty()) {
            all.remove(arn);
        } else {
            all.put(arn, new LinkedHashMap<>(tags));
        }
        save(new Snapshot(state.gatewayName(), state.timezone(), all, state.chap(), state.bandwidth()));
    }

    /** The CHAP secrets of a target's initiators, by initiator name. */
    public synchronized Map<String, ChapSecrets> chap(String target) {
        return Map.copyOf(state.chap().getOrDefault(target, Map.of()));
    }

    /** Sets (or, with null secrets, removes) one initiator's CHAP secrets for a target, durably. */
    public synchronized void setChap(String target, String initiator, ChapSecrets secrets) throws IOException {
        Map<String, Map<String, ChapSecrets>> all = new LinkedHashMap<>(state.chap());
        Map<String, ChapSecrets> initiators = new LinkedHashMap<>(all.getOrDefault(target, Map.of()));
        if (secrets == null) {
            initiators.remove(initiator);
        } else {
            initiators.put(initiator, secrets);
        }
        if (initiators.isEmpty()) {
            all.remove(target);
        } else {
            all.put(target, initiators);
        }
        save(new Snapshot(state.gatewayName(), state.timezone(), state.tags(), all, state.bandwidth()));
    }

    /** The bandwidth limits and schedule set through the API, or empty when it never set them (the file's hold). */
    public synchronized Optional<BandwidthSchedule> bandwidth() {
        return Optional.ofNullable(state.bandwidth());
    }

    /** Sets the bandwidth limits and schedule, durably. */
    public synchronized void setBandwidth(BandwidthSchedule bandwidth) throws IOException {
        save(new Snapshot(state.gatewayName(), state.timezone(), state.tags(), state.chap(), bandwidth));
    }

    private void save(Snapshot next) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temporary, json.writeValueAsBytes(next));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        state = next;
    }
}
