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

/** A stored volume, an uploader and a snapshot manager over in-memory stores, for the snapshot tests. */
abstract class SnapshotFixture {
    static final int CHUNK = 64 << 10;
    static final long SIZE = 4L << 20;
    static final String VOLUME_ID = "vol-0000000000000000a";

    @TempDir
    Path directory;
    final InMemoryObjectStore objects = new InMemoryObjectStore();
    final InMemoryChunkStore chunks = new InMemoryChunkStore(objects);
    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    BlockCache cache;
    CachedVolume volume;
    Uploader uploader;
    SnapshotManager snapshots;

    @BeforeEach
    void open() throws IOException {
        cache = BlockCache.open(CacheSettings.of(directory.resolve("cache"), 64L << 20, 16L << 20)
                .withChunkSize(CHUNK));
        volume = cache.openVolume("v", SIZE, VolumeMode.STORED, null);
        start();
    }

    void start() throws IOException {
        uploader = new Uploader(chunks, new UploaderSettings(2, Duration.ZERO, Duration.ZERO, Duration.ofMillis(10)),
                duration -> { });
        uploader.register(volume);
        snapshots = new SnapshotManager(directory, cache, uploader, new ManifestStore(objects), clock);
        snapshots.attach(volume);
    }

    @AfterEach
    void close() throws IOException {
        uploader.close();
        volume.close();
        cache.close();
    }

    static byte[] fill(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed + i / 4096);
        }
        return bytes;
    }

    static void write(CachedVolume target, long offset, byte[] data) throws IOException {
        target.write(offset, ByteBuffer.wrap(data), false);
    }

    static byte[] read(CachedVolume source) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) source.size());
        source.read(0, buffer);
        return buffer.array();
    }

    void drain(String... ids) throws IOException {
        for (int i = 0; i < 10; i++) {
            uploader.drain(volume.name());
            boolean done = true;
            for (String id : ids) {
                done &= snapshots.describe(id).orElseThrow().record().state() == SnapshotRecord.State.COMPLETED;
            }
            if (done) {
                return;
            }
        }
        throw new AssertionError("snapshots did not complete");
    }

    byte[] restore(String snapshotId, String name) throws IOException {
        try (CachedVolume restored = cache.openVolume(name, SIZE, VolumeMode.CACHED, new RemoteChunkSource(chunks))) {
            snapshots.restore(snapshotId, restored);
            return read(restored);
        }
    }
}
