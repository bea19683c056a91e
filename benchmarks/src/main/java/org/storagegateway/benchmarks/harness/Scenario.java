package org.storagegateway.benchmarks.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one comparison puts side by side: the store each peer's LUN lives in (the same class of store for both), the
 * workloads, how the LUNs are filled before anything is timed, and the results file and chart it writes.
 */
enum Scenario {
    /** Both LUNs in memory: the appliance's memory disk against tgt's file on tmpfs. */
    MEMORY("memory", "RESULTS.md", "ratios.png"),
    /**
     * Both LUNs on one disk file system: a stored volume in the appliance's RocksDB cache, with its heap capped at
     * 512 MiB, against tgt's file; adds reads within the hot tier and a fill with incompressible data.
     */
    CACHE("cache", "RESULTS-cache.md", "ratios-cache.png");

    /** The appliance's heap in the cache scenario: the bound, whatever the volume's size. */
    static final String CACHE_HEAP = "-Xmx512m";

    private final String id;
    private final String resultsFile;
    private final String chartFile;

    Scenario(String id, String resultsFile, String chartFile) {
        this.id = id;
        this.resultsFile = resultsFile;
        this.chartFile = chartFile;
    }

    /** Its name on the command line ({@code --scenario}). */
    String id() {
        return id;
    }

    String resultsFile() {
        return resultsFile;
    }

    String chartFile() {
        return chartFile;
    }

    /** The results' heading. */
    String title() {
        return switch (this) {
            case MEMORY -> "End-to-end benchmark: the appliance against its peers";
            case CACHE -> "End-to-end benchmark: the appliance's RocksDB cache against tgt on the same disk";
        };
    }

    /**
     * The peers in table order, the baseline first and the appliance last; {@code applianceJvmOptions} come after
     * the scenario's own; {@code diskDirectory} is where disk-backed LUNs go.
     */
    List<Peer> peers(int portBase, List<String> applianceJvmOptions, Path diskDirectory) {
        return switch (this) {
            case MEMORY -> List.of(new TgtPeer(portBase, Path.of("/dev/shm")),
                    AppliancePeer.memory(portBase + 1, applianceJvmOptions));
            case CACHE -> {
                List<String> options = new ArrayList<>(List.of(CACHE_HEAP));
                options.addAll(applianceJvmOptions);
                yield List.of(new TgtPeer(portBase, diskDirectory),
                        AppliancePeer.cache(portBase + 1, options, diskDirectory));
            }
        };
    }

    /** Whether its LUNs must be on a disk, so that a directory in memory is refused. */
    boolean needsDisk() {
        return this == CACHE;
    }

    /** The workloads, in table order. */
    List<Workload> workloads() {
        return switch (this) {
            case MEMORY -> List.of(Workload.RANDOM_READ_4K_QD32, Workload.RANDOM_WRITE_4K_QD32, Workload.READ_4K_QD1,
                    Workload.SEQUENTIAL_READ_1M_QD8, Workload.SEQUENTIAL_WRITE_1M_QD8);
            case CACHE -> List.of(Workload.values());
        };
    }

    /**
     * Whether the LUNs are first filled with incompressible data (as a disk's real contents would mostly be), rather
     * than a byte pattern: the cache stores LZ4 pages, and a pattern would leave it almost nothing to store or read.
     */
    boolean fillsWithRandomData() {
        return this == CACHE;
    }

    /** What the method section says about memory: what each peer's RSS holds, and the heap. */
    String memoryNote() {
        return switch (this) {
            case MEMORY -> "The appliance's RSS includes its LUN's data (heap pages); tgt's LUN is in tmpfs, outside"
                    + " its RSS.";
            case CACHE -> "Neither RSS includes the page cache over the peers' files (on this machine it holds both"
                    + " LUNs whole, so reads of either come from memory, and writes reach the disk at write-back and"
                    + " at each client's closing SYNCHRONIZE CACHE). The appliance's includes RocksDB's memtables"
                    + " and block cache, off the heap. Its heap (" + CACHE_HEAP + ") is from its GC log: the most in"
                    + " use at any collection.";
        };
    }
}
