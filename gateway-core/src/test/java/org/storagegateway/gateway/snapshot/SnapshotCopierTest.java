package org.storagegateway.gateway.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.ChunkStore;
import org.storagegateway.gateway.cloudfake.ForwardingChunkStore;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.EmbeddedS3;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.cloud.S3ObjectStore;
import org.storagegateway.gateway.upload.Uploader;
import org.storagegateway.gateway.upload.UploaderSettings;
import org.storagegateway.gateway.volume.RemoteChunkSource;

/**
 * Snapshot copies between two embedded S3 servers over real HTTP, sealed under different keys (so every chunk has
 * another name at the destination): the copy restores from the destination alone, the next copy of the volume
 * uploads only what changed, a copy cut short by the destination stopping leaves no snapshot there and finishes
 * when run again, and an unknown snapshot is refused clearly.
 */
class SnapshotCopierTest {
    private static final int CHUNK = 64 << 10;
    private static final int CHUNKS = 48;
    private static final long SIZE = (long) CHUNKS * CHUNK;
    private static final String SECRET = "copy-test-secret-0001";
    private static final String VOLUME_ID = "vol-0000000000000000c";

    @TempDir
    Path directory;
    private EmbeddedS3 sourceServer;
    private EmbeddedS3 destinationServer;
    private CloudStore sourceCloud;
    private CloudStore destinationCloud;
    private BlockCache cache;
    private CachedVolume volume;
    private Uploader uploader;
    private SnapshotManager snapshots;

    @BeforeEach
    void start() throws IOException {
        sourceServer = EmbeddedS3.start(server("source", 0));
        destinationServer = EmbeddedS3.start(server("destination", 0));
        sourceCloud = open(sourceServer, "gateway", "", "home-key", (byte) 1);
        destinationCloud = open(destinationServer, "offsite", "copies/", "offsite-key", (byte) 2);
        cache = BlockCache.open(CacheSettings.of(directory.resolve("cache"), 64L << 20, 16L << 20)
                .withChunkSize(CHUNK));
        volume = cache.openVolume("v", SIZE, VolumeMode.STORED, null);
        uploader = new Uploader(sourceCloud.chunks(), new UploaderSettings(4, Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(10)), duration -> { });
        uploader.register(volume);
        snapshots = new SnapshotManager(directory, cache, uploader, new ManifestStore(sourceCloud.objects()),
                Clock.systemUTC());
        snapshots.attach(volume);
    }

    @AfterEach
    void stop() throws IOException {
        uploader.close();
        volume.close();
        cache.close();
        for (AutoCloseable closeable : new AutoCloseable[] {sourceCloud, destinationCloud, sourceServer,
                destinationServer}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    private ObjectStoreSettings.Embedded server(String name, int port) {
        return new ObjectStoreSettings.Embedded(directory.resolve(name), "127.0.0.1", port, "gateway", SECRET);
    }

    private static CloudStore open(EmbeddedS3 server, String bucket, String prefix, String keyId, byte keyByte) {
        byte[] key = new byte[32];
        Arrays.fill(key, keyByte);
        ObjectStoreSettings settings = new ObjectStoreSettings(server.endpoint(), "us-east-1", bucket, prefix, true,
                "gateway", SECRET, Map.of(keyId, key), keyId, 0, 0, 8, null);
        try (S3Client admin = S3ObjectStore.client(settings, server.endpoint())) {
            admin.createBucket(r -> r.bucket(bucket));
        }
        return CloudStore.open(settings);
    }

    private SnapshotCopier copier(ChunkStore destinationChunks) {
        return new SnapshotCopier(SnapshotCopier.Side.of(sourceCloud),
                new SnapshotCopier.Side(new ManifestStore(destinationCloud.objects()), destinationChunks), 8);
    }

    private String snapshot(String description) throws IOException {
        String id = snapshots.snapshot(new SnapshotManager.Source(VOLUME_ID, volume), description,
                Map.of("site", "home"));
        for (int pass = 0; pass < 10; pass++) {
            uploader.drain(volume.name());
            if (snapshots.describe(id).orElseThrow().record().state() == SnapshotRecord.State.COMPLETED) {
                return id;
            }
        }
        throw new AssertionError("snapshot " + id + " did not complete");
    }

    private void write(long chunk, byte[] data) throws IOException {
        volume.write(chunk * CHUNK, ByteBuffer.wrap(data), false);
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The snapshot as restored from the destination's manifests and chunks, nothing else. */
    private byte[] restoreFromDestination(String snapshotId, String name) throws IOException {
        ManifestStore manifests = new ManifestStore(destinationCloud.objects());
        SnapshotManifest manifest = manifests.read(ManifestStore.manifestKey(snapshotId)).orElseThrow();
        try (CachedVolume restored = cache.openVolume(name, SIZE, VolumeMode.CACHED,
                new RemoteChunkSource(destinationCloud.chunks()))) {
            SnapshotManager.restore(manifests, manifest, restored);
            ByteBuffer back = ByteBuffer.allocate((int) SIZE);
            restored.read(0, back);
            return back.array();
        }
    }

    @Test
    void aCopyRestoresFromTheDestinationAloneAndTheNextCopyUploadsOnlyWhatChanged() throws IOException {
        byte[] first = random((int) SIZE, 1);
        write(0, first);
        String s1 = snapshot("before the change");
        SnapshotCopier copier = copier(destinationCloud.chunks());

        SnapshotCopier.Result full = copier.copy(s1);
        assertEquals(CHUNKS, full.chunksCopied());
        assertEquals(0, full.chunksSkipped());
        assertEquals(SIZE, full.bytesCopied());
        SnapshotManifest original = new ManifestStore(sourceCloud.objects())
                .read(ManifestStore.manifestKey(s1)).orElseThrow();
        assertEquals(s1, full.manifest().snapshotId());
        assertEquals("before the change", full.manifest().description());
        assertEquals(Map.of("site", "home"), full.manifest().tags());
        assertEquals(original.created(), full.manifest().created());
        assertEquals("offsite-key", full.manifest().keyId());
        assertNotEquals(original.segments(), full.manifest().segments(),
                "under another key every chunk has another name, so the segments differ");

        byte[] second = first.clone();
        for (int chunk : new int[] {5, 6, 30}) {
            byte[] changed = random(CHUNK, 100 + chunk);
            System.arraycopy(changed, 0, second, chunk * CHUNK, CHUNK);
            write(chunk, changed);
        }
        String s2 = snapshot("after the change");
        long downloaded = sourceCloud.s3().traffic().bytesDownloaded();
        SnapshotCopier.Result incremental = copier.copy(s2);
        long read = sourceCloud.s3().traffic().bytesDownloaded() - downloaded;
        System.out.printf("incremental copy of a %d-chunk snapshot with 3 changed chunks: %d copied, %d skipped,"
                + " %d bytes uploaded, %d bytes read from the source%n", CHUNKS, incremental.chunksCopied(),
                incremental.chunksSkipped(), incremental.bytesCopied(), read);
        assertEquals(3, incremental.chunksCopied());
        assertEquals(CHUNKS - 3, incremental.chunksSkipped());
        assertEquals(3L * CHUNK, incremental.bytesCopied());
        assertTrue(read < 6L * CHUNK, "the earlier copy names the unchanged chunks, yet " + read
                + " bytes were read from the source");

        SnapshotCopier.Result again = copier.copy(s2);
        assertEquals(0, again.chunksCopied());
        assertEquals(CHUNKS, again.chunksSkipped());

        sourceCloud.close();
        sourceCloud = null;
        sourceServer.close();
        sourceServer = null;
        assertArrayEquals(first, restoreFromDestination(s1, "r1"), "the first copy, with the source gone");
        assertArrayEquals(second, restoreFromDestination(s2, "r2"), "the incremental copy, with the source gone");
    }

    @Test
    void aCopyCutShortByTheDestinationStoppingShowsNoSnapshotAndFinishesWhenRunAgain() throws IOException {
        byte[] data = random((int) SIZE, 2);
        write(0, data);
        String id = snapshot("interrupted");
        int port = destinationServer.port();
        AtomicInteger confirmed = new AtomicInteger();
        ChunkStore stopping = new StoppingChunkStore(destinationCloud.chunks(), () -> {
            if (confirmed.incrementAndGet() == 9) {
                destinationServer.close();
            }
        });

        assertThrows(IOException.class, () -> copier(stopping).copy(id));
        destinationServer = EmbeddedS3.start(server("destination", port));
        assertFalse(destinationCloud.objects().exists(ManifestStore.manifestKey(id)),
                "the root is written last, so a cut copy shows no snapshot");

        SnapshotCopier.Result rerun = copier(destinationCloud.chunks()).copy(id);
        assertEquals(CHUNKS, rerun.chunksCopied() + rerun.chunksSkipped());
        assertTrue(rerun.chunksSkipped() >= 9, "the 9 chunks confirmed before the stop are not copied again: "
                + rerun);
        assertTrue(rerun.chunksCopied() >= 1, rerun.toString());
        assertArrayEquals(data, restoreFromDestination(id, "r"));
    }

    @Test
    void anUnknownSnapshotIsRefusedNamingItAndTheSource() {
        SnapshotCopier copier = copier(destinationCloud.chunks());
        NoSuchElementException unknown = assertThrows(NoSuchElementException.class,
                () -> copier.copy("snap-0123456789abcdef0"));
        assertTrue(unknown.getMessage().contains("no completed snapshot snap-0123456789abcdef0")
                && unknown.getMessage().contains("bucket gateway"), unknown.getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> copier.copy("snapshot-1"));
        assertTrue(malformed.getMessage().contains("not a snapshot id"), malformed.getMessage());
    }

    /** A destination's chunks that runs {@code afterPut} once an upload is confirmed (to stop the server midway). */
    private static final class StoppingChunkStore extends ForwardingChunkStore {
        private final Runnable afterPut;

        StoppingChunkStore(ChunkStore chunks, Runnable afterPut) {
            super(chunks);
            this.afterPut = afterPut;
        }

        @Override
        public void putAs(ChunkRef ref, byte[] chunk, int length) throws IOException {
            super.putAs(ref, chunk, length);
            afterPut.run();
        }
    }
}
