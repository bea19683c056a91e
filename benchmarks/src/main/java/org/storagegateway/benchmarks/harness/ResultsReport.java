package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a scenario's results file (RESULTS.md for the memory scenario): the machine, the versions, the method, one
 * table row per {@link Comparison}, and the heap of each peer that logs one.
 */
final class ResultsReport {
    private ResultsReport() {
    }

    static Path write(Path directory, Scenario scenario, List<Comparison> rows, Machine machine, Scale scale,
            List<Peer> peers, Map<String, HeapUsage> heaps, ZonedDateTime when) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(scenario.title()).append("\n\n");
        md.append("Measured ").append(when.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(" with `./gateway bench")
                .append(scale.equals(Scale.QUICK) || scale.requestFactor() < 1 ? " --quick" : "")
                .append(" --scenario ").append(scenario.id()).append(" --rounds ").append(scale.rounds())
                .append(" --lun-mib ").append(scale.lunBytes() >> 20).append("`.\n\n");
        md.append("## Machine and versions\n\n");
        md.append("- CPU: ").append(machine.cpuModel()).append(", ").append(machine.cores()).append(" logical cores\n");
        md.append("- Memory: ").append(machine.memory()).append('\n');
        machine.versions().forEach((name, version) -> md.append("- ").append(name).append(": ").append(version)
                .append('\n'));
        md.append("\n## Method\n\n");
        md.append("- Every peer serves one LUN of ").append(scale.lunBytes() >> 20)
                .append(" MiB, 512-byte blocks, on 127.0.0.1, as a child process of the harness:\n");
        for (Peer peer : peers) {
            md.append("  - ").append(peer.name()).append(": ").append(peer.backingStore()).append('\n');
        }
        md.append("- Before anything is timed, each LUN is written whole ").append(scenario.fillsWithRandomData()
                ? "with random bytes by `qemu-img convert`, as in the random-data fill below"
                : "with `qemu-img bench -w --pattern=" + QemuImgBench.FILL_PATTERN + "`")
                .append(" (QEMU skips reading blocks GET LBA STATUS calls")
                .append(" deallocated, which would make reads of a thin LUN look impossibly fast), then one untimed")
                .append(" warm-up pass, as long as a counted round, runs every workload on every peer.\n");
        md.append("- ").append(scale.rounds()).append(" counted rounds; within a round every workload and client runs")
                .append(" on each peer in turn (A B A B ...). Figures are medians over the rounds.\n");
        md.append("- \"Random\" with `qemu-img bench` and `qemu-io`, which only step through a LUN (wrapping modulo")
                .append(" its size): the step is an odd number of requests near 0.382 of the LUN, so successive")
                .append(" requests land about 0.38 of the LUN apart and every slot is visited once before any repeats.")
                .append(" `iscsi-perf -r` picks random LBAs itself.\n");
        if (scenario.workloads().stream().anyMatch(Workload::regional)) {
            md.append("- \"64 MiB region\": the same, over the LUN's first ").append(Workload.HOT_REGION_BYTES >> 20)
                    .append(" MiB only (QEMU's raw driver with `size=`), which fits the appliance's hot tier of")
                    .append(" decompressed pages; the whole-LUN reads mostly miss that tier and read RocksDB.")
                    .append(" iscsi-perf cannot keep to a region, so only QEMU's clients run these.\n");
        }
        if (scenario.workloads().stream().anyMatch(Workload::randomData)) {
            md.append("- Byte patterns: `qemu-img bench` writes one byte value (0x5a), which the appliance's LZ4")
                    .append(" pages shrink to a few dozen bytes per 4 KiB, so its other write workloads move little")
                    .append(" data into RocksDB. The random-data workload is the honest one for a disk: `qemu-img")
                    .append(" convert -m 8 -W` copies a file of random bytes (in /dev/shm) over the whole LUN, 1 MiB")
                    .append(" per request (a `blkdebug` layer caps them), 8 at a time; MB/s is the LUN's size over")
                    .append(" the wall time of the whole run, closing SYNCHRONIZE CACHE included. It writes the whole")
                    .append(" LUN whatever the scale, so it fills the appliance's memtables and hot tier many times")
                    .append(" over and makes RocksDB flush and compact.\n");
        }
        md.append("- QD1 latency: `qemu-io` issues one `read` at a time from standard input and times each one, giving")
                .append(" p50 and p99 (nearest rank); `iscsi-perf -m 1` gives the mean (1/IOPS).\n");
        md.append("- Ratio: appliance/peer for IOPS and MB/s, peer/appliance for latency, so above 1.0 always means")
                .append(" the appliance is better. CPU ratio: peer CPU per I/O / appliance CPU per I/O (above 1.0: the")
                .append(" appliance spends less). CPU is user + system time of the target process over the run")
                .append(" (/proc/PID/stat) divided by the I/Os completed; peak RSS is VmHWM, reset before each run,")
                .append(" the largest over the rounds. ").append(scenario.memoryNote()).append('\n');
        md.append("- fio is not used: Debian's fio is built without its libiscsi engine.\n\n");
        md.append("## Results\n\n");
        md.append("| workload | client | metric | peer | peer median | appliance median | ratio | peer peak RSS MiB"
                + " | appliance peak RSS MiB | peer CPU µs/I/O | appliance CPU µs/I/O | CPU ratio |\n");
        md.append("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Comparison row : rows) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | **%.2f** | %.0f | %.0f | %.1f | %.1f | %.2f |%n",
                    row.workload().label(), row.client(), row.metric().unit(), row.peer(),
                    figure(row.peerMedian()), figure(row.applianceMedian()), row.ratio(),
                    row.peerRssBytes() / 1048576.0, row.applianceRssBytes() / 1048576.0, row.peerCpuMicros(),
                    row.applianceCpuMicros(), row.cpuRatio()));
        }
        md.append("\n![Ratios per workload](").append(scenario.chartFile()).append(")\n");
        if (!heaps.isEmpty()) {
            md.append("\n## Heap\n\n");
            heaps.forEach((peer, heap) -> md.append(String.format(Locale.ROOT, "- %s: at most %.0f MiB in use at"
                    + " any of %d collections over the whole run (fill, warm-up and every round), %d of them full;"
                    + " at most %.0f MiB committed; ceiling %.0f MiB; %.1f s in pauses.%n", peer,
                    heap.peakUsedBytes() / 1048576.0, heap.pauses(), heap.fullCollections(),
                    heap.largestCommittedBytes() / 1048576.0, heap.maxCapacityBytes() / 1048576.0,
                    heap.pauseSeconds())));
        }
        Files.createDirectories(directory);
        return Files.writeString(directory.resolve(scenario.resultsFile()), md);
    }

    private static String figure(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
