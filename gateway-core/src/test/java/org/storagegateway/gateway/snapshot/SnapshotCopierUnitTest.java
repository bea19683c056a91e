package org.storagegateway.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloudfake.InMemoryChunkStore;
import org.storagegateway.gateway.cloudfake.InMemoryObjectStore;
import org.storagegateway.gateway.volume.RemoteChunkSource;

/**
 * The copier between stores that name chunks alike (no encryption at either end: another bucket or prefix), over
 * in-memory stores: names are kept as they are, a content held at several indexes is copied once, and a destination
 * holding another snapshot under the same id is refused.
 */
class SnapshotCopierUnitTest extends SnapshotFixture {
    private final InMemoryObjectStore offsite = new InMemoryObjectStore();
    private final InMemoryChunkStore offsiteChunks = new InMemoryChunkStore(offsite);

    private SnapshotCopier copier() {
        return new SnapshotCopier(new SnapshotCopier.Side(new ManifestStore(objects), chunks),
                new SnapshotCopier.Side(new ManifestStore(offsite), offsiteChunks), 4);
    }

    private String snapshot() throws IOException {
        String id = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), "unit", Map.of());
        drain(id);
        return id;
    }

    @Test
    void alikeNamedStoresKeepTheNamesAndCopyEachContentOnce() throws IOException {
        for (int chunk = 0; chunk < 3; chunk++) {
            write(volume, (long) chunk * CHUNK, fill(CHUNK, 1));
        }
        write(volume, 3L * CHUNK, fill(CHUNK, 9));
        String id = snapshot();

        SnapshotCopier.Result first = copier().copy(id);
        assertEquals(2, first.chunksCopied());
        assertEquals(0, first.chunksSkipped());
        assertEquals(2L * CHUNK, first.bytesCopied());
        assertEquals(2, offsiteChunks.uploads());
        SnapshotManifest original = new ManifestStore(objects).read(ManifestStore.manifestKey(id)).orElseThrow();
        assertEquals(original.segments(), first.manifest().segments(), "alike names: the very same segments");

        SnapshotCopier.Result again = copier().copy(id);
        assertEquals(0, again.chunksCopied());
        assertEquals(2, again.chunksSkipped());
        assertEquals(2, offsiteChunks.uploads());
        try (CachedVolume restored = cache.openVolume("r", SIZE, VolumeMode.CACHED,
                new RemoteChunkSource(offsiteChunks))) {
            SnapshotManager.restore(new ManifestStore(offsite), first.manifest(), restored);
            assertArrayEquals(read(volume), read(restored));
        }
    }

    @Test
    void anotherSnapshotUnderTheSameIdAtTheDestinationIsRefusedNotOverwritten() throws IOException {
        write(volume, 0, fill(CHUNK, 4));
        String id = snapshot();
        byte[] other = new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, id, "vol-0000000000000000f", SIZE, CHUNK,
                SnapshotManifest.DEFAULT_SEGMENT_CHUNKS, "2020-01-01T00:00:00Z", null, null, Map.of(), null, 0,
                List.of()).encode();
        offsite.put(ManifestStore.manifestKey(id), other);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> copier().copy(id));
        assertTrue(refused.getMessage().contains("already holds a snapshot " + id), refused.getMessage());
        assertArrayEquals(other, offsite.get(ManifestStore.manifestKey(id)).orElseThrow());
        assertEquals(0, offsiteChunks.uploads());
    }
}
