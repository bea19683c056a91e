package org.storagegateway.gateway.snapshot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import org.storagegateway.gateway.cloud.ChunkRef;

/**
 * One binary segment of a manifest: the non-zero chunks of a fixed range of chunk indexes and their content refs.
 * A segment is named by the SHA-256 of its encoding, so an unchanged range encodes to the same object and a new
 * snapshot reuses it instead of uploading it again.
 *
 * <p>Encoding (big-endian): magic {@code SGWS}, format version (1 byte, {@link #FORMAT_VERSION}), 3 reserved zero
 * bytes, the range's first chunk index (8 bytes), the entry count (4 bytes), then per entry the chunk index (8 bytes)
 * and the {@link ChunkRef} digest (32 bytes), in strictly increasing chunk order, all inside the range.
 *
 * @param first   the first chunk index of the range this segment covers
 * @param entries the range's chunks that have content, in chunk order (absent chunks read as zeros)
 */
public record ManifestSegment(long first, List<Entry> entries) {
    public static final int FORMAT_VERSION = 1;
    static final byte[] MAGIC = "SGWS".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = 4 + 4 + 8 + 4;
    static final int ENTRY = 8 + ChunkRef.LENGTH;

    /** One chunk of the manifest and the object holding its content. */
    public record Entry(long index, ChunkRef ref) {
        public Entry {
            if (index < 0) {
                throw new IllegalArgumentException("chunk index must not be negative, was " + index);
            }
        }
    }

    public ManifestSegment {
        if (first < 0) {
            throw new IllegalArgumentException("first chunk must not be negative, was " + first);
        }
        entries = List.copyOf(entries);
        long previous = first - 1;
        for (Entry entry : entries) {
            if (entry.index() <= previous) {
                throw new IllegalArgumentException(String.format(
                        "entries must be in increasing chunk order from %d; %d follows %d", first, entry.index(),
                        previous));
            }
            previous = entry.index();
        }
    }

    public byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + entries.size() * ENTRY);
        buffer.put(MAGIC).put((byte) FORMAT_VERSION).put(new byte[3]).putLong(first).putInt(entries.size());
        for (Entry entry : entries) {
            buffer.putLong(entry.index()).put(entry.ref().digest());
        }
        return buffer.array();
    }

    /** Decodes and validates a segment; {@code segmentChunks} bounds the range, as the root manifest states it. */
    public static ManifestSegment decode(byte[] encoded, int segmentChunks) {
        ByteBuffer buffer = ByteBuffer.wrap(encoded);
        if (encoded.length < HEADER) {
            throw new IllegalArgumentException("manifest segment of " + encoded.length + " bytes is truncated");
        }
        byte[] magic = new byte[4];
        buffer.get(magic);
        if (!MessageDigest.isEqual(magic, MAGIC)) {
            throw new IllegalArgumentException("not a manifest segment (bad magic)");
        }
        int version = buffer.get() & 0xff;
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest segment format " + version + " is not supported");
        }
        buffer.position(buffer.position() + 3);
        long first = buffer.getLong();
        int count = buffer.getInt();
        if (count < 0 || count > segmentChunks || (long) count * ENTRY != buffer.remaining()) {
            throw new IllegalArgumentException(String.format("manifest segment claims %d entries in %d bytes",
                    count, buffer.remaining()));
        }
        List<Entry> entries = new ArrayList<>(count);
        byte[] digest = new byte[ChunkRef.LENGTH];
        for (int i = 0; i < count; i++) {
            long index = buffer.getLong();
            buffer.get(digest);
            if (index - first >= segmentChunks) {
                throw new IllegalArgumentException("chunk " + index + " lies outside the segment from " + first);
            }
            entries.add(new Entry(index, new ChunkRef(digest)));
        }
        return new ManifestSegment(first, entries);
    }

    /** The segment's name: SHA-256 of its encoding, in hex. */
    public static String digestOf(byte[] encoded) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
