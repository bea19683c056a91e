package org.storagegateway.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloudfake.InMemoryObjectStore;

class ManifestTest {
    private static ChunkRef ref(long seed) {
        byte[] digest = new byte[32];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) (seed * 31 + i);
        }
        return new ChunkRef(digest);
    }

    private static List<ManifestSegment.Entry> entries(long... indexes) {
        List<ManifestSegment.Entry> list = new ArrayList<>();
        for (long index : indexes) {
            list.add(new ManifestSegment.Entry(index, ref(index)));
        }
        return list;
    }

    private static SnapshotManifest header(String snapshotId, int segmentChunks) {
        return new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, snapshotId, "vol-0123456789abcdef0",
                1L << 30, 1 << 20, segmentChunks, Instant.parse("2026-11-22T10:00:00Z").toString(), "key-1",
                "nightly", Map.of("env", "test"), "grp-1", 0, List.of());
    }

    @Test
    void idsHaveAwsForm() {
        assertTrue(ResourceIds.newSnapshotId().matches("snap-[0-9a-f]{17}"));
        assertTrue(ResourceIds.newVolumeId().matches("vol-[0-9a-f]{17}"));
        assertThrows(IllegalArgumentException.class, () -> ResourceIds.requireSnapshotId("snap-../../x"));
        assertThrows(IllegalArgumentException.class, () -> ResourceIds.requireVolumeId("vol-0123456789ABCDEF0"));
    }

    @Test
    void segmentRoundTrips() {
        ManifestSegment segment = new ManifestSegment(8192, entries(8192, 8200, 16383));
        byte[] encoded = segment.encode();
        assertEquals(ManifestSegment.HEADER + 3 * ManifestSegment.ENTRY, encoded.length);
        assertEquals(segment, ManifestSegment.decode(encoded, 8192));
        assertArrayEquals(encoded, ManifestSegment.decode(encoded, 8192).encode());
    }

    @Test
    void segmentDecodeRejectsDamage() {
        byte[] encoded = new ManifestSegment(0, entries(1, 2)).encode();
        byte[] badMagic = encoded.clone();
        badMagic[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> ManifestSegment.decode(badMagic, 8192));
        byte[] newer = encoded.clone();
        newer[4] = 2;
        assertThrows(IllegalArgumentException.class, () -> ManifestSegment.decode(newer, 8192));
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 1);
        assertThrows(IllegalArgumentException.class, () -> ManifestSegment.decode(truncated, 8192));
        assertThrows(IllegalArgumentException.class, () -> ManifestSegment.decode(encoded, 2));
        assertThrows(IllegalArgumentException.class, () -> new ManifestSegment(0, entries(2, 1)));
    }

    @Test
    void rootRoundTripsAsJson() throws IOException {
        SnapshotManifest manifest = header("snap-0123456789abcdef0", 8192);
        byte[] json = manifest.encode();
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"formatVersion\" : 1"));
        assertEquals(manifest, SnapshotManifest.decode(json));
        byte[] future = new String(json, StandardCharsets.UTF_8).replace("\"formatVersion\" : 1",
                "\"formatVersion\" : 9").getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> SnapshotManifest.decode(future));
    }

    @Test
    void storeWritesSegmentsAndReadsEveryEntryBack() throws IOException {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        ManifestStore store = new ManifestStore(objects);
        List<ManifestSegment.Entry> written = entries(0, 5, 99, 100, 250, 1000);
        ManifestStore.WriteResult result = store.write(ManifestStore.manifestKey("snap-0123456789abcdef0"),
                header("snap-0123456789abcdef0", 100), written.iterator());
        assertEquals(4, result.segmentsWritten());
        assertEquals(6, result.manifest().chunkCount());
        SnapshotManifest read = store.read(ManifestStore.manifestKey("snap-0123456789abcdef0")).orElseThrow();
        assertEquals(result.manifest(), read);
        List<ManifestSegment.Entry> back = new ArrayList<>();
        store.forEachEntry(read, back::add);
        assertEquals(written, back);
        assertEquals(List.of("snap-0123456789abcdef0"), store.listSnapshotIds());
    }

    @Test
    void unchangedRegionsReuseTheirSegments() throws IOException {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        ManifestStore store = new ManifestStore(objects);
        store.write(ManifestStore.manifestKey("snap-00000000000000001"), header("snap-00000000000000001", 100),
                entries(0, 150, 250).iterator());
        long puts = objects.puts();
        ManifestStore.WriteResult same = store.write(ManifestStore.manifestKey("snap-00000000000000002"),
                header("snap-00000000000000002", 100), entries(0, 150, 250).iterator());
        assertEquals(0, same.segmentsWritten());
        assertEquals(3, same.segmentsReused());
        assertEquals(puts + 1, objects.puts(), "an unchanged volume uploads only the root");
        List<ManifestSegment.Entry> changed = entries(0, 150, 250);
        changed.set(1, new ManifestSegment.Entry(150, ref(9999)));
        ManifestStore.WriteResult one = store.write(ManifestStore.manifestKey("snap-00000000000000003"),
                header("snap-00000000000000003", 100), changed.iterator());
        assertEquals(1, one.segmentsWritten());
        assertEquals(2, one.segmentsReused());
    }

    @Test
    void damagedSegmentIsReported() throws IOException {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        ManifestStore store = new ManifestStore(objects);
        SnapshotManifest manifest = store.write(ManifestStore.manifestKey("snap-00000000000000001"),
                header("snap-00000000000000001", 100), entries(3).iterator()).manifest();
        String key = ManifestStore.segmentKey(manifest.segments().get(0).digest());
        objects.put(key, new ManifestSegment(0, entries(4)).encode());
        assertThrows(IOException.class, () -> store.forEachEntry(manifest, entry -> { }));
    }
}
