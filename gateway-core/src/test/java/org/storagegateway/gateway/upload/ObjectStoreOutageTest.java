package org.storagegateway.gateway.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.EmbeddedS3;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.cloud.S3ObjectStore;
import org.storagegateway.gateway.volume.RemoteChunkSource;

/**
 * Issue 5's outage test, over real HTTP: the S3 server stops in the middle of a write stream; writes go on into the
 * cache (none fails, none waits on S3); the server comes back on the same port with the same objects; the uploader
 * recovers by itself, every chunk reaches the store, and a cached volume naming them reads back what was written.
 */
class ObjectStoreOutageTest {
    private static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;
    private static final int CHUNKS = 24;
    private static final String SECRET = "outage-test-secret";

    @TempDir
    Path directory;

    @Test
    void writesGoOnWhileTheStoreIsDownAndEverythingReachesItWhenItReturns() throws Exception {
        ObjectStoreSettings.Embedded server = new ObjectStoreSettings.Embedded(directory.resolve("s3"), "127.0.0.1", 0,
                "gateway", SECRET);
        EmbeddedS3 s3 = EmbeddedS3.start(server);
        int port = s3.port();
        // The gateway's side talks to the server's address, not to the server object, as it would to AWS.
        s3.close();
        ObjectStoreSettings.Embedded samePort = new ObjectStoreSettings.Embedded(server.directory(), "127.0.0.1",
                port, "gateway", SECRET);
        s3 = EmbeddedS3.start(samePort);
        ObjectStoreSettings settings = new ObjectStoreSettings(s3.endpoint(), "us-east-1", "gateway", "", true,
                "gateway", SECRET, Map.of(), null, 0, 0, 8, null);
        try (S3Client admin = S3ObjectStore.client(settings, s3.endpoint())) {
            admin.createBucket(r -> r.bucket("gateway"));
        }
        byte[] written = new byte[CHUNKS * CHUNK];
        new Random(11).nextBytes(written);
        try (CloudStore cloud = CloudStore.open(settings);
             BlockCache cache = BlockCache.open(CacheSettings.of(directory.resolve("cache"), 256L << 20,
                     64L << 20));
             Uploader uploader = new Uploader(cloud.chunks(), new UploaderSettings(4, Duration.ofMillis(50),
                     Duration.ofMillis(500), Duration.ofMillis(50)), duration -> Thread.sleep(duration.toMillis()))) {
            CachedVolume volume = cache.openVolume("v", (long) CHUNKS * CHUNK, VolumeMode.STORED, null);
            uploader.register(volume);
            uploader.start();
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                if (chunk == CHUNKS / 3) {
                    s3.close();
                }
                long started = System.nanoTime();
                volume.write((long) chunk * CHUNK, ByteBuffer.wrap(written, chunk * CHUNK, CHUNK), false);
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(),
                        "a write waited on the store");
            }
            assertTrue(!volume.dirtyChunks(0, CHUNKS).isEmpty(), "with the store down, data waits in the cache");
            s3 = EmbeddedS3.start(samePort);
            assertTrue(uploader.awaitUploaded("v", Duration.ofMinutes(2)), "the uploader did not recover");
            assertEquals(0, volume.dirtyChunks(0, CHUNKS).size());
            assertEquals(CHUNKS, volume.remoteRefs(0, CHUNKS).size(), "every chunk is in the store");

            CachedVolume fromStore = cache.openVolume("back", (long) CHUNKS * CHUNK, VolumeMode.CACHED,
                    new RemoteChunkSource(cloud.chunks()));
            fromStore.putRemoteRefs(volume.remoteRefs(0, CHUNKS));
            ByteBuffer back = ByteBuffer.allocate(written.length);
            fromStore.read(0, back);
            assertArrayEquals(written, back.array(), "read back from the store");
        } finally {
            s3.close();
        }
    }
}
