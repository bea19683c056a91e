package org.storagegateway.gateway.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What the management API changes and a restart must keep: the gateway's name and time zone as set through the API,
 * and tags by resource ARN. Kept in one JSON file in the data directory, replaced whole by an atomic rename after an
 * fsync, so a crash leaves the old state or the new one, never half of either.
 */
public final class ManagementState {
    static final String FILE_NAME = "management.json";

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private Snapshot state;

    /** The persisted form; fields absent in older files read as empty. */
    record Snapshot(String gatewayName, String timezone, Map<String, Map<String, String>> tags) {
        Snapshot {
            tags = tags == null ? Map.of() : tags;
        }
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
                return new ManagementState(file, new Snapshot(null, null, Map.of()));
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

    /** Sets the name and/or time zone (null: unchanged), durably. */
    public synchronized void updateGateway(String name, String timezone) throws IOException {
        save(new Snapshot(name != null ? name : state.gatewayName(),
                timezone != null ? timezone : state.timezone(), state.tags()));
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
        save(new Snapshot(state.gatewayName(), state.timezone(), all));
    }

    private void save(Snapshot next) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
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
