package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An initiator nobody on this project wrote, driven as a child process. A new client is one implementation of this
 * and one entry in {@link Harness#CLIENTS}.
 */
interface Client {
    /** The name shown in the results table. */
    String name();

    /** The executables it needs on the PATH. */
    java.util.List<String> executables();

    /** Whether it can drive this workload at all (iscsi-perf only reads, for example). */
    boolean drives(Workload workload);

    /** Runs the workload once against the target and reports what the client measured. */
    Measurement run(Workload workload, Target target, Scale scale, Processes processes, Path log) throws IOException;
}
