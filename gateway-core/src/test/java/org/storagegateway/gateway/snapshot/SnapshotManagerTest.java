package org.storagegateway.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloudfake.InMemoryChunkStore;
import org.storagegateway.gateway.cloudfake.InMemoryObjectStore;
import org.storagegateway.gateway.upload.Uploader;
import org.storagegateway.gateway.upload.UploaderSettings;
import org.storagegateway.gateway.volume.RemoteChunkSource;

class SnapshotManagerTest extends SnapshotFixture {
    @Test
    void aWriteAfterTheSnapshotIsNotInIt() throws IOException {
        byte[] first = fill((int) SIZE, 1);
        write(volume, 0, first);
        String s1 = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), "first", Map.of());
        byte[] second = first.clone();
        byte[] patch = fill(3 * 4096, 99);
        System.arraycopy(patch, 0, second, 5000, patch.length);
        write(volume, 5000, patch);
        assertEquals(0, snapshots.describe(s1).orElseThrow().progress());
        drain(s1);
        String s2 = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), "second", Map.of());
        drain(s2);
        assertArrayEquals(first, restore(s1, "r1"));
        assertArrayEquals(second, restore(s2, "r2"));
        assertEquals(100, snapshots.describe(s2).orElseThrow().progress());
    }

    @Test
    void aSnapshotOfAnUnchangedVolumeUploadsOnlyItsRoot() throws IOException {
        write(volume, 0, fill((int) SIZE / 2, 3));
        drain(snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), null, Map.of()));
        long puts = objects.puts();
        String again = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), null, Map.of());
        drain(again);
        assertEquals(puts + 1, objects.puts());
        assertTrue(objects.keys().contains(ManifestStore.manifestKey(again)));
    }

    @Test
    void aPendingSnapshotCompletesAfterARestart() throws IOException {
        byte[] data = fill((int) SIZE, 7);
        write(volume, 0, data);
        String id = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), null, Map.of("k", "v"));
        write(volume, 0, fill(CHUNK, 50));
        uploader.close();
        volume.close();
        cache.close();
        cache = BlockCache.open(CacheSettings.of(directory.resolve("cache"), 64L << 20, 16L << 20)
                .withChunkSize(CHUNK));
        volume = cache.openVolume("v", SIZE, VolumeMode.STORED, null);
        start();
        assertEquals(SnapshotRecord.State.PENDING, snapshots.describe(id).orElseThrow().record().state());
        drain(id);
        assertArrayEquals(data, restore(id, "r"));
        assertEquals(Map.of("k", "v"), snapshots.describe(id).orElseThrow().record().tags());
    }

    @Test
    void aGroupIsTakenAtOneInstantWithOneGroupId() throws IOException {
        try (CachedVolume other = cache.openVolume("w", SIZE, VolumeMode.STORED, null)) {
            uploader.register(other);
            snapshots.attach(other);
            write(volume, 0, fill(CHUNK, 1));
            write(other, 0, fill(CHUNK, 2));
            List<String> ids = snapshots.snapshotGroup(List.of(new SnapshotManager.Source(VOLUME_ID, volume),
                    new SnapshotManager.Source("vol-0000000000000000b", other)), "striped", Map.of());
            write(other, 0, fill(CHUNK, 3));
            uploader.drain("w");
            drain(ids.get(0));
            SnapshotRecord a = snapshots.describe(ids.get(0)).orElseThrow().record();
            SnapshotRecord b = snapshots.describe(ids.get(1)).orElseThrow().record();
            assertNotNull(a.groupId());
            assertEquals(a.groupId(), b.groupId());
            assertEquals(SnapshotRecord.State.COMPLETED, b.state());
            byte[] restored = restore(ids.get(1), "r");
            assertArrayEquals(fill(CHUNK, 2), java.util.Arrays.copyOf(restored, CHUNK));
            uploader.unregister("w");
        }
    }

    @Test
    void deleteRemovesTheRootAndTheRecord() throws IOException {
        write(volume, 0, fill(CHUNK, 1));
        String id = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), null, Map.of());
        drain(id);
        snapshots.delete(id);
        assertFalse(objects.keys().contains(ManifestStore.manifestKey(id)));
        assertTrue(snapshots.describe(id).isEmpty());
        assertTrue(snapshots.list().isEmpty());
    }
}
