package org.storagegateway.benchmarks.harness;

/**
 * One counted run: one client driving one workload against one peer in one round, and what it cost the peer.
 *
 * @param peer        the peer's name
 * @param workload    the workload
 * @param client      the client's name
 * @param round       1-based round number
 * @param measurement what the client reported
 * @param usage       the peer's CPU and peak RSS over the run
 */
record Sample(String peer, Workload workload, String client, int round, Measurement measurement,
        ResourceUsage.Usage usage) {
    Sample {
        if (round < 1) {
            throw new IllegalArgumentException("rounds count from 1, was " + round);
        }
    }

    /** CPU microseconds the peer spent per I/O the client completed. */
    double cpuMicrosPerIo() {
        return usage.cpuSeconds() * 1e6 / measurement.ios();
    }
}
