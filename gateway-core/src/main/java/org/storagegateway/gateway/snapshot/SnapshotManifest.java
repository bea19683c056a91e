package org.storagegateway.gateway.snapshot;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The root of a snapshot (or recovery point): a small JSON object, {@code snapshots/<snap-id>/manifest.json}, that
 * describes the volume and lists the binary {@link ManifestSegment}s holding its chunk refs. See README.md,
 * "Snapshots and the manifest format".
 *
 * @param formatVersion {@link #FORMAT_VERSION}; readers refuse newer formats
 * @param snapshotId    {@code snap-...}, or null for a recovery point
 * @param volumeId      {@code vol-...} of the volume it was taken of
 * @param volumeSize    bytes
 * @param chunkSize     bytes per chunk
 * @param segmentChunks how many chunk indexes one segment covers (segment i covers [i*n, (i+1)*n))
 * @param created       when the point in time was taken, ISO-8601 UTC
 * @param keyId         the encryption key's id when objects are sealed, else null
 * @param description   free text, may be null
 * @param tags          user tags (a group snapshot carries its group id here too)
 * @param groupId       the id shared by every snapshot of a consistent group, else null
 * @param chunkCount    non-zero chunks in the snapshot
 * @param segments      the non-empty segments, in chunk order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotManifest(int formatVersion, String snapshotId, String volumeId, long volumeSize, int chunkSize,
                               int segmentChunks, String created, String keyId, String description,
                               Map<String, String> tags, String groupId, long chunkCount, List<SegmentRef> segments) {
    public static final int FORMAT_VERSION = 1;
    /** 8192 chunks of 1 MiB: 8 GiB of volume per segment, at most 320 KiB of entries. */
    public static final int DEFAULT_SEGMENT_CHUNKS = 8192;

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One segment: its range's number ({@code first / segmentChunks}), entries and SHA-256 name. */
    public record SegmentRef(long number, int entries, String digest) {
        public SegmentRef {
            if (number < 0 || entries <= 0 || digest == null || !digest.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(String.format("bad segment ref %d/%d/%s", number, entries,
                        digest));
            }
        }
    }

    public SnapshotManifest {
        if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest format " + formatVersion + " is not supported (this"
                    + " gateway reads up to " + FORMAT_VERSION + ")");
        }
        if (snapshotId != null) {
            ResourceIds.requireSnapshotId(snapshotId);
        }
        ResourceIds.requireVolumeId(volumeId);
        if (volumeSize < 0 || chunkSize <= 0 || Integer.bitCount(chunkSize) != 1 || segmentChunks <= 0) {
            throw new IllegalArgumentException(String.format("bad geometry: size %d, chunk %d, segment %d",
                    volumeSize, chunkSize, segmentChunks));
        }
        Instant.parse(Objects.requireNonNull(created, "created"));
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        segments = segments == null ? List.of() : List.copyOf(segments);
        long previous = -1;
        for (SegmentRef segment : segments) {
            if (segment.number() <= previous) {
                throw new IllegalArgumentException("segments out of order at " + segment.number());
            }
            previous = segment.number();
        }
    }

    /** When the point in time was taken. */
    public Instant createdAt() {
        return Instant.parse(created);
    }

    public byte[] encode() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a manifest always encodes", e);
        }
    }

    public static SnapshotManifest decode(byte[] json) throws IOException {
        try {
            return JSON.readValue(json, SnapshotManifest.class);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged manifest: " + e.getMessage(), e);
        }
    }
}
