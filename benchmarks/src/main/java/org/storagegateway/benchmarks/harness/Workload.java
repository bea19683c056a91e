package org.storagegateway.benchmarks.harness;

import java.util.List;
import java.util.Map;

/**
 * One I/O pattern every client that supports it runs against every peer. A new workload is one constant here; each
 * {@link Client} says which workloads it can drive, and each {@link Scenario} which workloads it runs.
 */
public enum Workload {
    RANDOM_READ_4K_QD32("4 KiB random read, QD32", 4096, 32, true, false, 200_000, List.of(Metric.IOPS)),
    RANDOM_WRITE_4K_QD32("4 KiB random write, QD32", 4096, 32, true, true, 200_000, List.of(Metric.IOPS)),
    READ_4K_QD1("4 KiB random read, QD1", 4096, 1, true, false, 20_000, Metric.LATENCIES),
    SEQUENTIAL_READ_1M_QD8("1 MiB sequential read, QD8", 1 << 20, 8, false, false, 4096,
            List.of(Metric.MB_PER_SECOND)),
    SEQUENTIAL_WRITE_1M_QD8("1 MiB sequential write, QD8", 1 << 20, 8, false, true, 4096,
            List.of(Metric.MB_PER_SECOND)),
    /** Reads of a region that fits the appliance's hot tier of decompressed pages (128 MiB by default). */
    HOT_RANDOM_READ_4K_QD32("4 KiB random read, 64 MiB region, QD32", 4096, 32, true, false, 200_000,
            List.of(Metric.IOPS), Workload.HOT_REGION_BYTES, false),
    HOT_READ_4K_QD1("4 KiB random read, 64 MiB region, QD1", 4096, 1, true, false, 20_000, Metric.LATENCIES,
            Workload.HOT_REGION_BYTES, false),
    /**
     * The whole LUN written once with incompressible data, however small the scale: what fills a disk-backed store
     * past its memory (the appliance's hot tier and memtables) and makes it flush and compact.
     */
    RANDOM_DATA_FILL_1M_QD8("1 MiB random-data fill of the LUN, QD8", 1 << 20, 8, false, true,
            0, List.of(Metric.MB_PER_SECOND), 0, true);

    /** The span of the hot-region reads: a half of the appliance's default hot tier, so it fits with room. */
    static final long HOT_REGION_BYTES = 64L << 20;

    private final String label;
    private final int requestBytes;
    private final int queueDepth;
    private final boolean random;
    private final boolean write;
    private final int requests;
    private final List<Metric> metrics;
    private final long regionBytes;
    private final boolean randomData;

    Workload(String label, int requestBytes, int queueDepth, boolean random, boolean write, int requests,
            List<Metric> metrics) {
        this(label, requestBytes, queueDepth, random, write, requests, metrics, 0, false);
    }

    Workload(String label, int requestBytes, int queueDepth, boolean random, boolean write, int requests,
            List<Metric> metrics, long regionBytes, boolean randomData) {
        this.label = label;
        this.requestBytes = requestBytes;
        this.queueDepth = queueDepth;
        this.random = random;
        this.write = write;
        this.requests = requests;
        this.metrics = metrics;
        this.regionBytes = regionBytes;
        this.randomData = randomData;
    }

    public String label() {
        return label;
    }

    public int requestBytes() {
        return requestBytes;
    }

    public int queueDepth() {
        return queueDepth;
    }

    public boolean random() {
        return random;
    }

    public boolean write() {
        return write;
    }

    /** Whether it covers less than the whole LUN: only the first {@link #span} bytes. */
    public boolean regional() {
        return regionBytes > 0;
    }

    /** The bytes it addresses from the start of a LUN of {@code lunBytes}. */
    public long span(long lunBytes) {
        return regionBytes > 0 ? Math.min(regionBytes, lunBytes) : lunBytes;
    }

    /**
     * Whether it writes incompressible data (the LUN whole, from a random file) rather than a client's byte
     * pattern, which the appliance's LZ4 pages shrink to almost nothing.
     */
    public boolean randomData() {
        return randomData;
    }

    /** The metrics a client may report for this workload; a client reports those it can measure. */
    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * A throughput in this workload's own metric: IOPS for small requests, MB/s (10^6 bytes) for large ones.
     */
    Map<Metric, Double> throughput(double requestsPerSecond) {
        return metrics.contains(Metric.IOPS) ? Map.of(Metric.IOPS, requestsPerSecond)
                : Map.of(Metric.MB_PER_SECOND, requestsPerSecond * requestBytes / 1e6);
    }

    /** How many requests a counted run sends at this scale (a few seconds at the reference rates in DESIGN.md). */
    public int requests(Scale scale) {
        if (randomData) {
            throw new IllegalStateException(name() + " writes the whole LUN, however many requests that takes");
        }
        return Math.max(scale.queueDepthFloor(queueDepth), (int) (requests * scale.requestFactor()));
    }

    /**
     * The distance between successive request offsets. Sequential: the request size. "Random": qemu-img bench and
     * the QD1 latency run only step through the LUN, wrapping modulo its size, so a step near the smaller golden
     * section of the LUN (0.382: on a circle, as far from the start as 0.618 is, and it keeps the step under qemu-img
     * bench's 2 GiB limit on LUNs up to 5 GiB), rounded to an odd number of requests, makes every pair of successive
     * requests land about 0.38 of the LUN apart and, being coprime with the number of slots, visits every slot once
     * before any repeats. Within a region, the same over the region.
     */
    public long step(long lunBytes) {
        long slots = span(lunBytes) / requestBytes;
        if (!random || slots < 3) {
            return requestBytes;
        }
        long step = Math.round(slots * 0.3819660113) | 1;
        while (gcd(step, slots) != 1) {
            step += 2;
        }
        if (step * requestBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a random step over " + lunBytes + " bytes would be " + step
                    * requestBytes + ", past qemu-img bench's 2 GiB limit: random workloads need LUNs up to 5 GiB");
        }
        return step * requestBytes;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
