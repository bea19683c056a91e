package org.storagegateway.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.upload.Uploader;
import org.storagegateway.gateway.upload.UploaderSettings;
import org.storagegateway.gateway.volume.RemoteChunkSource;

/**
 * Issue 5's incremental cost, over real HTTP to the embedded S3 server: a 1 GiB volume of incompressible data gets a
 * full snapshot, then 1 % of it changes and a second snapshot follows, which may upload at most 2 % of the volume.
 * Three kinds of 1 % change, one after another: a contiguous run at an unaligned offset, 1 % of the volume's 1 MiB
 * blocks (its chunks, the snapshot's unit) chosen at random, and 1 % of its 4 KiB blocks scattered at random. The
 * last touches nearly every chunk, and a chunk is uploaded whole: that one is held only to uploading nothing but the
 * chunks it touched. The last snapshot is restored and read back whole.
 */
class IncrementalCostTest {
    private static final long SIZE = 1L << 30;
    private static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;
    private static final int CHUNKS = (int) (SIZE / CHUNK);
    private static final int BLOCK = 4096;
    private static final String VOLUME_ID = "vol-0000000000000001c";
    private static final String SECRET = "incremental-cost-secret";

    @TempDir
    Path directory;

    /** One write over the base pattern. */
    private record Change(long offset, byte[] data) {
    }

    /** Every write over the base pattern, in order (later ones win where they overlap). */
    private final List<Change> changes = new ArrayList<>();

    private static byte[] baseChunk(long index) {
        byte[] data = new byte[CHUNK];
        SplittableRandom random = new SplittableRandom(0x5eed0000L + index);
        for (int i = 0; i < data.length; i += 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                data[i + b] = (byte) (value >>> (8 * b));
            }
        }
        return data;
    }

    private byte[] expectedChunk(long index) {
        byte[] data = baseChunk(index);
        long start = index * CHUNK;
        for (Change change : changes) {
            long from = Math.max(start, change.offset());
            long to = Math.min(start + CHUNK, change.offset() + change.data().length);
            if (from < to) {
                System.arraycopy(change.data(), (int) (from - change.offset()), data, (int) (from - start),
                        (int) (to - from));
            }
        }
        return data;
    }

    /** Writes {@code length} new random bytes at {@code offset}, recording them; returns the chunks touched. */
    private TreeSet<Long> change(CachedVolume volume, long offset, int length, SplittableRandom random)
            throws IOException {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) random.nextInt();
        }
        volume.write(offset, ByteBuffer.wrap(data), false);
        changes.add(new Change(offset, data));
        TreeSet<Long> touched = new TreeSet<>();
        for (long index = offset / CHUNK; index <= (offset + length - 1) / CHUNK; index++) {
            touched.add(index);
        }
        return touched;
    }

    /** What one snapshot cost: bytes and objects the store received (chunks, manifest segments, root). */
    private record Cost(String snapshotId, long bytes, long objects) {
        double percentOfVolume() {
            return 100.0 * bytes / SIZE;
        }
    }

    @Test
    void aOnePercentChangeCostsAtMostTwoPercentOfTheVolume() throws Exception {
        ObjectStoreSettings settings = new ObjectStoreSettings(null, "us-east-1", "gateway", "", true, "gateway",
                SECRET, Map.of(), null, 0, 0, 16, new ObjectStoreSettings.Embedded(directory.resolve("s3"),
                "127.0.0.1", 0, "gateway", SECRET));
        try (CloudStore cloud = CloudStore.open(settings);
             BlockCache cache = BlockCache.open(CacheSettings.of(directory.resolve("cache"), 3L << 30, 2L << 30));
             Uploader uploader = new Uploader(cloud.chunks(), UploaderSettings.DEFAULTS, duration -> { })) {
            CachedVolume volume = cache.openVolume("v", SIZE, VolumeMode.STORED, null);
            uploader.register(volume);
            SnapshotManager snapshots = new SnapshotManager(directory.resolve("data"), cache, uploader,
                    new ManifestStore(cloud.objects()), Clock.systemUTC());
            snapshots.attach(volume);
            SnapshotManager.Source source = new SnapshotManager.Source(VOLUME_ID, volume);
            for (long index = 0; index < CHUNKS; index++) {
                volume.write(index * CHUNK, ByteBuffer.wrap(baseChunk(index)), false);
            }
            Cost full = snapshot(cloud, uploader, snapshots, source, "full");
            assertTrue(full.bytes() >= SIZE, "the full snapshot uploads the volume: " + full);

            SplittableRandom random = new SplittableRandom(42);
            TreeSet<Long> contiguous = change(volume, SIZE / 3 + 12_345, (int) (SIZE / 100), random);
            Cost contiguousCost = snapshot(cloud, uploader, snapshots, source, "1 % contiguous");

            TreeSet<Long> chunksChosen = new TreeSet<>();
            while (chunksChosen.size() < CHUNKS / 100) {
                chunksChosen.add((long) random.nextInt(CHUNKS));
            }
            for (long index : chunksChosen) {
                change(volume, index * CHUNK, CHUNK, random);
            }
            Cost chunksCost = snapshot(cloud, uploader, snapshots, source, "1 % of the 1 MiB blocks");

            TreeSet<Long> blocksChosen = new TreeSet<>();
            TreeSet<Long> touched = new TreeSet<>();
            while (blocksChosen.size() < SIZE / BLOCK / 100) {
                blocksChosen.add((long) random.nextInt((int) (SIZE / BLOCK)));
            }
            for (long block : blocksChosen) {
                touched.addAll(change(volume, block * BLOCK, BLOCK, random));
            }
            Cost scatteredCost = snapshot(cloud, uploader, snapshots, source, "1 % of the 4 KiB blocks");

            System.out.printf("incremental cost on a %d MiB volume of %d chunks (full snapshot: %s):%n"
                            + "  1 %% contiguous (%d chunks touched): %,d bytes (%.2f %% of the volume), %d objects%n"
                            + "  1 %% of the 1 MiB blocks (%d chunks): %,d bytes (%.2f %%), %d objects%n"
                            + "  1 %% of the 4 KiB blocks, scattered (%d chunks touched): %,d bytes (%.2f %%),"
                            + " %d objects%n", SIZE >> 20, CHUNKS, full, contiguous.size(), contiguousCost.bytes(),
                    contiguousCost.percentOfVolume(), contiguousCost.objects(), chunksChosen.size(),
                    chunksCost.bytes(), chunksCost.percentOfVolume(), chunksCost.objects(), touched.size(),
                    scatteredCost.bytes(), scatteredCost.percentOfVolume(), scatteredCost.objects());
            assertTrue(contiguousCost.bytes() <= SIZE / 50, "contiguous: " + contiguousCost);
            assertTrue(chunksCost.bytes() <= SIZE / 50, "1 MiB blocks: " + chunksCost);
            long manifestAllowance = 1L << 20;
            assertTrue(scatteredCost.bytes() <= (long) touched.size() * CHUNK + manifestAllowance,
                    "4 KiB blocks: only the touched chunks upload: " + scatteredCost);
            assertTrue(scatteredCost.objects() <= touched.size() + 8, "4 KiB blocks: " + scatteredCost);

            try (CachedVolume restored = cache.openVolume("restored", SIZE, VolumeMode.CACHED,
                    new RemoteChunkSource(cloud.chunks()))) {
                snapshots.restore(scatteredCost.snapshotId(), restored);
                ByteBuffer back = ByteBuffer.allocate(CHUNK);
                for (long index = 0; index < CHUNKS; index++) {
                    back.clear();
                    restored.read(index * CHUNK, back);
                    assertArrayEquals(expectedChunk(index), back.array(), "chunk " + index);
                }
            }
            uploader.unregister("v");
            volume.close();
        }
    }

    /** Takes a snapshot, waits until it completed, and returns what the store received for it. */
    private static Cost snapshot(CloudStore cloud, Uploader uploader, SnapshotManager snapshots,
                                 SnapshotManager.Source source, String description) throws IOException {
        long bytesBefore = cloud.s3().traffic().bytesUploaded();
        long objectsBefore = cloud.objects().list("").size();
        String id = snapshots.snapshot(source, description, Map.of());
        uploader.drain(source.volume().name());
        assertEquals(SnapshotRecord.State.COMPLETED, snapshots.describe(id).orElseThrow().record().state(),
                description);
        return new Cost(id, cloud.s3().traffic().bytesUploaded() - bytesBefore,
                cloud.objects().list("").size() - objectsBefore);
    }
}
