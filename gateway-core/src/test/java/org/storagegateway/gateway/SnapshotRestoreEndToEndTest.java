package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.gateway.ExternalTool.Outcome;
import org.storagegateway.gateway.cloud.ObjectStore;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.config.ConfigLoader;
import org.storagegateway.gateway.config.ManagementSettings;
import org.storagegateway.gateway.snapshot.SnapshotRecord;
import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * Issue 5's end-to-end test, over iSCSI with QEMU's client and real HTTP to the embedded S3 server: write a pattern,
 * snapshot, overwrite part of it, snapshot again; restore each snapshot into a new volume (one stored, one cached)
 * and read both back over iSCSI, comparing checksums with what was written at each point. It also reports what the
 * second, incremental snapshot cost.
 */
class SnapshotRestoreEndToEndTest {
    private static final long SIZE = 64L << 20;
    private static final String SOURCE = "iqn.2026-11.org.storagegateway.test:source";
    private static final String FIRST = "iqn.2026-11.org.storagegateway.test:restore1";
    private static final String SECOND = "iqn.2026-11.org.storagegateway.test:restore2";

    @TempDir
    Path directory;

    @BeforeAll
    static void needsQemu() {
        ExternalTool.require("qemu-img");
        ExternalTool.require("qemu-io");
    }

    private static TargetSettings target(String name, Backing backing, String volume) {
        return new TargetSettings(name, null, Set.of(), ChapPolicy.NONE,
                List.of(new DiskSettings(0, SIZE, 512, backing, null, volume, false)));
    }

    private String url(Appliance appliance, String target) {
        return "iscsi://127.0.0.1:" + appliance.port() + "/" + target + "/0";
    }

    private static void run(String log, String... command) throws Exception {
        Outcome outcome = ExternalTool.run(TestAppliances.reportDirectory("snapshots").resolve(log),
                Duration.ofMinutes(3), command);
        assertEquals(0, outcome.exitCode(), outcome.output());
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    private static SnapshotRecord completed(CloudVolumes volumes, String snapshotId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            SnapshotRecord record = volumes.snapshots().describe(snapshotId).orElseThrow().record();
            if (record.state() != SnapshotRecord.State.PENDING) {
                assertEquals(SnapshotRecord.State.COMPLETED, record.state(), String.valueOf(record.error()));
                return record;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("snapshot " + snapshotId + " still pending after 2 minutes");
    }

    @Test
    void eachSnapshotRestoresToWhatWasWrittenAtItsPointInTime() throws Exception {
        Path data = directory.resolve("data");
        ApplianceSettings settings = new ApplianceSettings(data, "127.0.0.1", 0, List.of(),
                ConfigLoader.DEFAULT_MAX_TRANSFER, ConfigLoader.defaultCache(data), TestAppliances.embeddedStore(data),
                ManagementSettings.disabled(), List.of(target(SOURCE, Backing.CACHE, "source"),
                        target(FIRST, Backing.CACHE, "restore1"), target(SECOND, Backing.CACHED, "restore2")));
        byte[] first = new byte[(int) SIZE];
        new Random(7).nextBytes(first);
        Arrays.fill(first, 20 << 20, 30 << 20, (byte) 0);
        Path firstFile = Files.write(directory.resolve("first.raw"), first);
        byte[] second = first.clone();
        Arrays.fill(second, 8 << 20, (8 << 20) + (640 << 10), (byte) 0x5a);
        Path secondFile = Files.write(directory.resolve("second.raw"), second);

        try (Appliance appliance = Appliance.start(settings)) {
            CloudVolumes volumes = appliance.volumes().orElseThrow();
            ObjectStore objects = appliance.cloud().orElseThrow().objects();
            run("write-first.log", "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", firstFile.toString(),
                    url(appliance, SOURCE));
            String snapshot1 = volumes.snapshot("source", "after the first pattern");
            completed(volumes, snapshot1);
            long bytesBefore = appliance.cloud().orElseThrow().s3().traffic().bytesUploaded();
            int objectsBefore = objects.list("").size();

            // 640 KiB at 8 MiB: 1 % of the volume, over one chunk.
            run("overwrite.log", "qemu-io", "-f", "raw", "-c", "write -P 0x5a 8M 640k", url(appliance, SOURCE));
            String snapshot2 = volumes.snapshot("source", "after the overwrite");
            completed(volumes, snapshot2);
            long incrementalBytes = appliance.cloud().orElseThrow().s3().traffic().bytesUploaded() - bytesBefore;
            int incrementalObjects = objects.list("").size() - objectsBefore;
            System.out.printf("incremental snapshot of a %d MiB volume after a 1 %% overwrite: %d bytes uploaded"
                    + " (%.2f %% of the volume), %d new objects%n", SIZE >> 20, incrementalBytes,
                    100.0 * incrementalBytes / SIZE, incrementalObjects);
            assertTrue(incrementalBytes <= SIZE / 50, "the second snapshot uploaded " + incrementalBytes + " bytes");

            volumes.snapshots().restore(snapshot1, volumes.volume("restore1"));
            volumes.snapshots().restore(snapshot2, volumes.volume("restore2"));
            Path back1 = directory.resolve("back1.raw");
            Path back2 = directory.resolve("back2.raw");
            run("read-first.log", "qemu-img", "convert", "-f", "raw", "-O", "raw", url(appliance, FIRST),
                    back1.toString());
            run("read-second.log", "qemu-img", "convert", "-f", "raw", "-O", "raw", url(appliance, SECOND),
                    back2.toString());
            assertArrayEquals(sha256(firstFile), sha256(back1), "the first snapshot, restored to a stored volume");
            assertArrayEquals(sha256(secondFile), sha256(back2), "the second snapshot, restored to a cached volume");
        }
    }
}
