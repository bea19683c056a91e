package org.storagegateway.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The clients' outputs, as the installed versions print them, turned into numbers. */
class ClientOutputTest {
    @Test
    void qemuImgBenchReportsItsTotalTime() {
        String output = "Sending 200000 read requests, 4096 bytes each, 32 in parallel (starting at offset 0, step"
                + " size 663547904)\nRun completed in 3.187 seconds.\n";
        assertEquals(3.187, QemuImgBench.parseSeconds(output));
        assertThrows(IllegalArgumentException.class, () -> QemuImgBench.parseSeconds("qemu-img: Could not open"));
    }

    @Test
    void iscsiPerfTakesTheLastAverage() {
        String output = "connected to iscsi://127.0.0.1:3330/iqn.x/1\n"
                + "00:00:02 - lba 123, iops current 61000 (238 MB/s), iops average 61000 (238 MB/s), in_flight 32\n"
                + "00:00:01 - lba 456, iops current 63000 (246 MB/s), iops average 62000 (242 MB/s), in_flight 32\n"
                + "iops average 62345 (243 MB/s)\n\nfinished.\n";
        assertEquals(62345, IscsiPerf.parseAverageIops(output));
        assertThrows(IllegalArgumentException.class, () -> IscsiPerf.parseAverageIops("Login Failed."));
    }

    @Test
    void qemuIoRatesBecomeLatencies() {
        String output = "qemu-io> read 4096/4096 bytes at offset 0\n"
                + "4 KiB, 1 ops; 00.00 sec (39.063 MiB/sec and 10000.0000 ops/sec)\n"
                + "qemu-io> read 4096/4096 bytes at offset 663547904\n"
                + "4 KiB, 1 ops; 00.00 sec (78.125 MiB/sec and 20000.0000 ops/sec)\n";
        assertArrayEquals(new double[] {100.0, 50.0}, QemuIo.parseLatenciesMicros(output), 1e-9);
    }

    @Test
    void procfsGivesCpuTicksAndMemory() {
        String stat = "1234 (tgtd -f x) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 3 0 500 1000 200";
        assertEquals(325, ResourceUsage.parseCpuTicks(stat));
        String status = "Name:\ttgtd\nVmHWM:\t   5120 kB\nVmRSS:\t    4096 kB\n";
        assertEquals(5120, ResourceUsage.parseStatusKib(status, "VmHWM:"));
        assertEquals(4096, ResourceUsage.parseStatusKib(status, "VmRSS:"));
    }

    @Test
    void theGcLogGivesThePeakHeapInUse() {
        List<String> log = List.of(
                "[0.004s][info][gc,init] Heap Max Capacity: 512M",
                "[2.011s][info][gc     ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 18M->5M(380M) 265.249ms",
                "[2.100s][info][gc     ] GC(1) Concurrent Mark Cycle",
                "[2.464s][info][gc     ] GC(1) Pause Remark 419M->300M(433M) 38.000ms",
                "[2.869s][info][gc     ] GC(2) Pause Full (System.gc()) 288M->52M(180M) 20.5ms");
        HeapUsage heap = HeapUsage.parse(log);
        assertEquals(419L << 20, heap.peakUsedBytes());
        assertEquals(433L << 20, heap.largestCommittedBytes());
        assertEquals(512L << 20, heap.maxCapacityBytes());
        assertEquals(3, heap.pauses());
        assertEquals(1, heap.fullCollections());
        assertEquals(0.323749, heap.pauseSeconds(), 1e-9);
    }

    @Test
    void theLongestMountPointHoldingADirectoryNamesItsFileSystem() {
        List<String> mounts = List.of("/dev/vda / ext4 rw,relatime 0 0", "tmpfs /dev/shm tmpfs rw 0 0",
                "/dev/vdb /var/lib\\040data xfs rw 0 0");
        assertEquals(new Mounts("tmpfs", "tmpfs"), Mounts.of(Path.of("/dev/shm/x"), mounts));
        assertTrue(Mounts.of(Path.of("/dev/shm"), mounts).inMemory());
        assertEquals(new Mounts("ext4", "/dev/vda"), Mounts.of(Path.of("/var/tmp"), mounts));
        assertEquals("xfs on /dev/vdb", Mounts.of(Path.of("/var/lib data/cache"), mounts).toString());
    }

    @Test
    void qemuNamesARegionOfATargetThroughItsRawDriver() {
        Target target = new Target("iscsi://127.0.0.1:3331/iqn.2026-11.org.example:disk/0", 512, 1L << 30);
        assertEquals(List.of("-f", "raw", target.url()), target.qemuImageArguments(1L << 30));
        assertEquals(List.of("--image-opts", "driver=raw,size=67108864,file.driver=iscsi,file.transport=tcp,"
                + "file.portal=127.0.0.1:3331,file.target=iqn.2026-11.org.example:disk,file.lun=0"),
                target.qemuImageArguments(64L << 20));
    }
}
