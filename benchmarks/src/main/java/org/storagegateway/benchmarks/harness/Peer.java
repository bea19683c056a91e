package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An iSCSI target under test, run as a child process on loopback with one LUN. A new peer (LIO, SCST, a later build
 * of the appliance) is one implementation of this and one entry in the list {@link BenchCommand} hands the harness.
 */
interface Peer {
    /** The name shown in the results table. */
    String name();

    /** The executables it needs on the PATH. */
    java.util.List<String> executables();

    /** Its version, for the results header. */
    String version(Processes processes, Path log) throws IOException;

    /** What its LUN is stored in, for the results header (the classes must match across peers). */
    String backingStore() throws IOException;

    /** What it did with its heap, for the results: empty unless it runs on a JVM that logs its collections. */
    default java.util.Optional<HeapUsage> heapUsage() throws IOException {
        return java.util.Optional.empty();
    }

    /**
     * Starts it serving one LUN of {@code lunBytes}; the harness stops it through {@code processes}, and then calls
     * {@link #cleanUp()} for anything else it made.
     */
    Target start(long lunBytes, Path workDirectory, Processes processes) throws IOException;

    /** The pid whose CPU and memory are measured; valid after {@link #start}. */
    long pid();

    /** Removes what {@link #start} made besides the process (backing files); safe to call more than once. */
    void cleanUp() throws IOException;
}
