package org.storagegateway.gateway.snapshot;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The gateway's local record of one snapshot, kept under the data directory so that a pending snapshot resumes
 * after a restart: which volume, the generation it closed, and how far it got.
 *
 * @param generation   the volume's generation the snapshot closed: its content is every version up to it
 * @param volumeName   the cache's name of the volume
 * @param initialChunks chunks that awaited upload when it was taken, for progress
 * @param error        why it failed, when {@code state} is ERROR
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotRecord(String snapshotId, String volumeId, String volumeName, long generation,
                             long volumeSize, int chunkSize, String created, String description,
                             Map<String, String> tags, String groupId, State state, long initialChunks,
                             String error) {
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** AWS's snapshot states. */
    public enum State { PENDING, COMPLETED, ERROR }

    public SnapshotRecord {
        ResourceIds.requireSnapshotId(snapshotId);
        ResourceIds.requireVolumeId(volumeId);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    SnapshotRecord with(State next, String why) {
        return new SnapshotRecord(snapshotId, volumeId, volumeName, generation, volumeSize, chunkSize, created,
                description, tags, groupId, next, initialChunks, why);
    }

    byte[] encode() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a snapshot record always encodes", e);
        }
    }

    static SnapshotRecord decode(byte[] json) throws IOException {
        try {
            return JSON.readValue(json, SnapshotRecord.class);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged snapshot record: " + e.getMessage(), e);
        }
    }
}
