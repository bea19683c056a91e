package org.storagegateway.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.volume.RemoteChunkSource;

class GarbageCollectorTest extends SnapshotFixture {
    @Test
    void keepsReferencedChunksAndSparesYoungOnes() throws IOException {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T10:00:00Z"));
        objects.clock(now::get);
        write(volume, 0, fill(2 * CHUNK, 1));
        String kept = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), null, Map.of());
        drain(kept);
        write(volume, 0, fill(CHUNK, 2));
        String dropped = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), null, Map.of());
        drain(dropped);
        write(volume, 0, fill(CHUNK, 3));
        uploader.drain("v");
        ChunkRef second = chunks.refOf(fill(CHUNK, 2), CHUNK);
        ChunkRef third = chunks.refOf(fill(CHUNK, 3), CHUNK);
        snapshots.delete(dropped);
        now.set(now.get().plus(Duration.ofHours(1)));
        ChunkRef young = chunks.put(fill(CHUNK, 4), CHUNK, false);

        GarbageCollector collector = new GarbageCollector(objects, chunks,
                java.time.Clock.fixed(now.get(), java.time.ZoneOffset.UTC));
        GarbageCollector.Result result = collector.collect(Duration.ofMinutes(30), List.of(volume));

        assertFalse(chunks.exists(second), "only the deleted snapshot used it");
        assertTrue(chunks.exists(third), "the live volume uses it");
        assertTrue(chunks.exists(young), "younger than the grace period");
        assertEquals(1, result.sparedYoung());
        assertTrue(result.deleted() >= 2, "the chunk and the deleted snapshot's segment: " + result);
        assertArrayEquals(fill(2 * CHUNK, 1), java.util.Arrays.copyOf(restore(kept, "r"), 2 * CHUNK));
    }

    @Test
    void aCloneFromTheRecoveryPointHoldsTheUploadedState() throws IOException {
        write(volume, 0, fill(3 * CHUNK, 5));
        uploader.drain("v");
        snapshots.writeRecoveryPoint(new SnapshotManager.Source(VOLUME_ID, volume));
        try (CachedVolume clone = cache.openVolume("clone", SIZE, VolumeMode.CACHED,
                new RemoteChunkSource(chunks))) {
            snapshots.cloneFromRecoveryPoint(VOLUME_ID, clone);
            assertArrayEquals(read(volume), read(clone));
        }
    }
}
