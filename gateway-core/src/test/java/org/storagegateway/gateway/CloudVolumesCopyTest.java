package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.EmbeddedS3;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.cloud.S3ObjectStore;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.snapshot.ManifestStore;
import org.storagegateway.gateway.snapshot.SnapshotCopier;
import org.storagegateway.gateway.snapshot.SnapshotRecord;

/**
 * {@link CloudVolumes#copySnapshot} on a running appliance: a snapshot of its volume copied to a second S3 server
 * (over HTTP, sealed under a key of its own) opened from settings alone, and an unknown snapshot refused.
 */
class CloudVolumesCopyTest {
    private static final long SIZE = 8L << 20;
    private static final String SECRET = "copy-destination-secret";

    @TempDir
    Path directory;

    @Test
    void aSnapshotIsCopiedToAnotherStoreNamedBySettingsAndAnUnknownOneIsRefused() throws Exception {
        ObjectStoreSettings.Embedded server = new ObjectStoreSettings.Embedded(directory.resolve("offsite"),
                "127.0.0.1", 0, "gateway", SECRET);
        try (EmbeddedS3 offsite = EmbeddedS3.start(server);
             Appliance appliance = Appliance.start(TestAppliances.singleDisk(directory.resolve("data"),
                     "iqn.2026-11.org.storagegateway.test:copy", SIZE, Backing.CACHE))) {
            ObjectStoreSettings destination = new ObjectStoreSettings(offsite.endpoint(), "us-east-1", "offsite",
                    "dr/", true, "gateway", SECRET, Map.of("dr", new byte[32]), "dr", 0, 0, 8, null);
            try (S3Client admin = S3ObjectStore.client(destination, offsite.endpoint())) {
                admin.createBucket(r -> r.bucket("offsite"));
            }
            CloudVolumes volumes = appliance.volumes().orElseThrow();
            byte[] data = new byte[(int) SIZE];
            new Random(3).nextBytes(data);
            volumes.volume("disk0").write(0, ByteBuffer.wrap(data), false);
            String snapshotId = volumes.snapshot("disk0", "to copy");
            awaitCompleted(volumes, snapshotId);

            SnapshotCopier.Result result = volumes.copySnapshot(snapshotId, destination);
            int chunks = (int) (SIZE / volumes.volume("disk0").chunkSize());
            assertEquals(chunks, result.chunksCopied());
            assertEquals(SIZE, result.bytesCopied());
            try (CloudStore copy = CloudStore.open(destination)) {
                assertEquals(result.manifest(), new ManifestStore(copy.objects())
                        .read(ManifestStore.manifestKey(snapshotId)).orElseThrow());
            }
            NoSuchElementException unknown = assertThrows(NoSuchElementException.class,
                    () -> volumes.copySnapshot("snap-00000000000000000", destination));
            assertTrue(unknown.getMessage().contains("no completed snapshot snap-00000000000000000"),
                    unknown.getMessage());
        }
    }

    private static void awaitCompleted(CloudVolumes volumes, String snapshotId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (volumes.snapshots().describe(snapshotId).orElseThrow().record().state()
                == SnapshotRecord.State.PENDING) {
            assertTrue(System.nanoTime() < deadline, "snapshot " + snapshotId + " still pending after 2 minutes");
            Thread.sleep(20);
        }
        assertEquals(SnapshotRecord.State.COMPLETED,
                volumes.snapshots().describe(snapshotId).orElseThrow().record().state());
    }
}
