package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.gateway.ExternalTool.Outcome;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;

/** QEMU's block layer (libiscsi inside qemu-img) reading and writing the appliance's disks. */
class QemuImgTest {
    private static final String TARGET = "iqn.2026-11.org.storagegateway.test:qemu";
    private static final long DISK_BYTES = 64L << 20;

    @BeforeAll
    static void needsQemuImg() {
        ExternalTool.require("qemu-img");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backing.class)
    void bytesConvertedInComeBackOut(Backing backing, @TempDir Path dir) throws Exception {
        byte[] image = new byte[(int) DISK_BYTES];
        new Random(42).nextBytes(image);
        // A hole in the middle exercises reads of never-written and zero-written ranges.
        Arrays.fill(image, 8 << 20, 12 << 20, (byte) 0);
        Path in = Files.write(dir.resolve("in.raw"), image);
        Path out = dir.resolve("out.raw");
        Path reports = TestAppliances.reportDirectory("qemu-img");
        try (Appliance appliance = Appliance.start(
                TestAppliances.singleDisk(dir.resolve("data"), TARGET, DISK_BYTES, backing))) {
            String url = "iscsi://127.0.0.1:" + appliance.port() + "/" + TARGET + "/0";
            Outcome write = ExternalTool.run(reports.resolve("convert-in-" + backing + ".log"), Duration.ofMinutes(3),
                    "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", in.toString(), url);
            assertEquals(0, write.exitCode(), write.output());
            Outcome read = ExternalTool.run(reports.resolve("convert-out-" + backing + ".log"), Duration.ofMinutes(3),
                    "qemu-img", "convert", "-f", "raw", "-O", "raw", url, out.toString());
            assertEquals(0, read.exitCode(), read.output());
        }
        assertArrayEquals(sha256(in), sha256(out), "the bytes read back differ from the bytes written");
    }

    @ParameterizedTest(name = "{0} bytes, depth {1}, write={2}")
    @CsvSource({"4096, 32, false", "4096, 32, true", "1048576, 8, false", "1048576, 8, true"})
    void benchCompletes(int blockSize, int depth, boolean write, @TempDir Path dir) throws Exception {
        Path reports = TestAppliances.reportDirectory("qemu-img");
        try (Appliance appliance = Appliance.start(
                TestAppliances.singleDisk(dir.resolve("data"), TARGET, DISK_BYTES, Backing.MEMORY))) {
            String url = "iscsi://127.0.0.1:" + appliance.port() + "/" + TARGET + "/0";
            int count = blockSize == 4096 ? 20000 : 400;
            List<String> command = new ArrayList<>(List.of("qemu-img", "bench", "-f", "raw", "-t", "none",
                    "-c", Integer.toString(count), "-d", Integer.toString(depth), "-s", Integer.toString(blockSize),
                    "-S", Integer.toString(blockSize * 7)));
            if (write) {
                command.add("-w");
            }
            command.add(url);
            Outcome bench = ExternalTool.run(
                    reports.resolve("bench-" + blockSize + "-" + depth + (write ? "-write" : "-read") + ".log"),
                    Duration.ofMinutes(3), command.toArray(String[]::new));
            assertEquals(0, bench.exitCode(), bench.output());
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
