package org.storagegateway.benchmarks.harness;

/**
 * How big a run is: rounds of A/B alternation, LUN size, and how long each client runs.
 *
 * @param rounds        counted rounds; each runs every workload on every peer once
 * @param lunBytes      the size of every peer's LUN
 * @param requestFactor multiplies each workload's request count (1.0 for a full run)
 * @param timedSeconds  how long a client that runs for a fixed time (iscsi-perf) runs
 */
public record Scale(int rounds, long lunBytes, double requestFactor, int timedSeconds) {
    /** The full run the results table is made from. */
    public static final Scale FULL = new Scale(5, 1L << 30, 1.0, 3);
    /** A run that only proves the harness works (CI): fewer requests, two rounds. */
    public static final Scale QUICK = new Scale(2, 256L << 20, 0.05, 1);

    public Scale {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
        }
        if (lunBytes < (16L << 20) || lunBytes % (1 << 20) != 0) {
            throw new IllegalArgumentException("the LUN must be a whole number of MiB, at least 16, was " + lunBytes);
        }
        if (!(requestFactor > 0) || timedSeconds < 1) {
            throw new IllegalArgumentException("requestFactor and timedSeconds must be positive, were "
                    + requestFactor + " and " + timedSeconds);
        }
    }

    public Scale withRounds(int newRounds) {
        return new Scale(newRounds, lunBytes, requestFactor, timedSeconds);
    }

    public Scale withLunBytes(long newLunBytes) {
        return new Scale(rounds, newLunBytes, requestFactor, timedSeconds);
    }

    /**
     * The untimed warm-up pass (JIT, page faults, connection set-up) that precedes the counted rounds: as long as a
     * counted round, since the appliance's read path took some 450,000 reads to reach steady speed (C2 was still
     * compiling after a tenth of a round), and what a gateway that runs for months does is the steady state.
     */
    Scale warmUp() {
        return new Scale(1, lunBytes, requestFactor, timedSeconds);
    }

    int queueDepthFloor(int queueDepth) {
        return queueDepth * 4;
    }
}
