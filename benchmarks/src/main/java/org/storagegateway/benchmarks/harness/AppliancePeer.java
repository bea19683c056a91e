package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.storagegateway.appliance.JvmDefaults;

/**
 * The appliance as it ships: {@code GatewayLauncher run --config FILE} in its own JVM (so that its CPU and memory are
 * its own), serving one LUN: either a memory disk (pages on the Java heap: memory, like tgt's tmpfs file) or a stored
 * volume in its RocksDB cache in a directory on a disk (like tgt's file on that disk). Its JVM logs its collections,
 * from which the results give its heap.
 */
final class AppliancePeer implements Peer {
    private static final String TARGET = "iqn.2026-11.org.storagegateway.bench:appliance";
    private static final String LAUNCHER = "org.storagegateway.appliance.GatewayLauncher";
    /** The cache's hot tier of decompressed pages: the appliance's default, written out so the results can say it. */
    static final String HOT_TIER = "128MiB";

    private final int port;
    private final List<String> jvmOptions;
    /** Where the cache lives; null for a memory disk. */
    private final Path cacheDirectory;
    private Path gcLog;
    private Process process;

    private AppliancePeer(int port, List<String> jvmOptions, Path cacheDirectory) {
        this.port = port;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.cacheDirectory = cacheDirectory;
    }

    /** The appliance serving a memory disk ({@code backing: memory}). */
    static AppliancePeer memory(int port, List<String> jvmOptions) {
        return new AppliancePeer(port, jvmOptions, null);
    }

    /** The appliance serving a stored volume ({@code backing: cache}) of a cache it makes in {@code directory}. */
    static AppliancePeer cache(int port, List<String> jvmOptions, Path directory) {
        return new AppliancePeer(port, jvmOptions,
                directory.resolve("storagegateway-bench-appliance-" + port + "-cache"));
    }

    @Override
    public String name() {
        return "appliance";
    }

    @Override
    public List<String> executables() {
        return List.of();
    }

    @Override
    public String version(Processes processes, Path log) throws IOException {
        return "storage gateway 0.1.0 on Java " + System.getProperty("java.runtime.version")
                + " " + String.join(" ", JvmDefaults.options())
                + (jvmOptions.isEmpty() ? "" : " " + String.join(" ", jvmOptions));
    }

    @Override
    public String backingStore() throws IOException {
        if (cacheDirectory == null) {
            return "memory (backing: memory, 64 KiB pages on the Java heap)";
        }
        return "a stored volume (backing: cache) in its RocksDB cache in " + cacheDirectory.getParent() + " ("
                + Mounts.of(cacheDirectory.getParent()) + "): 4 KiB LZ4 pages, 1 MiB chunks, a " + HOT_TIER
                + " hot tier of decompressed pages on the heap; a write is acknowledged once in RocksDB's write-ahead"
                + " log (not synced), which SYNCHRONIZE CACHE syncs";
    }

    @Override
    public Target start(long lunBytes, Path workDirectory, Processes processes) throws IOException {
        Processes.requireFree(port);
        Path config = workDirectory.resolve("appliance.yaml");
        List<String> yaml = new ArrayList<>(List.of(
                "dataDirectory: " + workDirectory.resolve("appliance-data"),
                "portal: {bind: 127.0.0.1, port: " + port + "}",
                // Measured over iSCSI only; fixed management ports would also clash between concurrent runs.
                "api: {enabled: false}",
                "metrics: {enabled: false}",
                "objectStore: {embedded: {port: 0}}"));
        String backing = "backing: memory";
        if (cacheDirectory != null) {
            deleteCache();
            yaml.add("cache: {directory: " + cacheDirectory + ", memory: " + HOT_TIER + "}");
            backing = "backing: cache, volume: bench";
        }
        yaml.addAll(List.of(
                "targets:",
                "  - name: " + TARGET,
                "    luns:",
                "      - {lun: 0, size: " + (lunBytes >> 20) + "MiB, blockSize: 512, " + backing + "}",
                ""));
        Files.writeString(config, String.join("\n", yaml));
        gcLog = workDirectory.resolve("gc.log");
        Files.deleteIfExists(gcLog);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The options the appliance ships with (./gateway run uses them too), then the harness's own, which win.
        command.addAll(JvmDefaults.options());
        command.addAll(jvmOptions);
        command.add(HeapUsage.logOption(gcLog));
        // The harness's own class path holds appliance-image and everything it needs.
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LAUNCHER, "run", "--config",
                config.toString()));
        Path log = workDirectory.resolve("appliance.log");
        process = processes.start(log, command);
        Processes.awaitListening(process, port, Duration.ofSeconds(60), log);
        return new Target("iscsi://127.0.0.1:" + port + "/" + TARGET + "/0", 512, lunBytes);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Optional<HeapUsage> heapUsage() throws IOException {
        return gcLog != null && Files.exists(gcLog) ? Optional.of(HeapUsage.read(gcLog)) : Optional.empty();
    }

    @Override
    public void cleanUp() throws IOException {
        // A memory disk lives and dies with the JVM; a cache stays on disk until removed.
        deleteCache();
    }

    private void deleteCache() throws IOException {
        if (cacheDirectory == null || !Files.exists(cacheDirectory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(cacheDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
