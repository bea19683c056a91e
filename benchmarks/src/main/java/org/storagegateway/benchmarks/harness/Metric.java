package org.storagegateway.benchmarks.harness;

/** What a client measures, with its unit and which direction is better. */
public enum Metric {
    IOPS("IOPS", true),
    MB_PER_SECOND("MB/s", true),
    LATENCY_P50("p50 µs", false),
    LATENCY_P99("p99 µs", false),
    LATENCY_MEAN("mean µs", false);

    /** What a QD1 latency workload reports: the percentiles a client can give, and the mean. */
    static final java.util.List<Metric> LATENCIES = java.util.List.of(LATENCY_P50, LATENCY_P99, LATENCY_MEAN);

    private final String unit;
    private final boolean higherIsBetter;

    Metric(String unit, boolean higherIsBetter) {
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public String unit() {
        return unit;
    }

    /**
     * The appliance's speed relative to a peer, oriented so that above 1.0 always means "the appliance is better":
     * appliance/peer for throughput, peer/appliance for latency.
     */
    public double ratio(double peer, double appliance) {
        return higherIsBetter ? appliance / peer : peer / appliance;
    }
}
