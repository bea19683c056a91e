package org.storagegateway.benchmarks.cache.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Hit ratios of the clean-chunk index's W-TinyLFU and of LRU on simulated chunk read traces over a working set of
 * {@link #WORKING_SET} chunks, with room for 1/8, 1/4 and 1/2 of it: Zipf-skewed reads, a loop 10% longer than the
 * cache holds, and a hot set whose reads full scans interrupt (as backups do). Each figure is the median of
 * {@code runs} replays with different trace seeds (and Caffeine's own randomness):
 * {@code java -cp benchmarks/target/bench.jar org.storagegateway.benchmarks.cache.policy.EvictionStudy [runs]}.
 */
public final class EvictionStudy {
    /** Chunks the traces read: 16 GiB of 1 MiB chunks. */
    public static final int WORKING_SET = 16384;
    static final double ZIPF_EXPONENT = 0.9;

    private EvictionStudy() {
    }

    /** The traces for a cache of {@code capacity} chunks, by seed. */
    static List<LongFunction<Trace>> traces(int workingSet, int capacity) {
        int loop = capacity + capacity / 10;
        int hot = workingSet / 16;
        return List.of(
                seed -> Trace.zipf(workingSet, ZIPF_EXPONENT, 40 * workingSet, seed),
                seed -> Trace.loop(loop, 30 * loop),
                seed -> Trace.scannedHotSet(workingSet, hot, 8 * hot, 20, seed));
    }

    /** The median over the traces given (one per seed) of replaying each on a fresh index of the policy. */
    static Trace.HitRatios median(List<Trace> traces, ChunkIndex.Policy policy, int capacity) {
        List<Trace.HitRatios> results = new ArrayList<>();
        for (Trace trace : traces) {
            results.add(trace.replay(policy.create(capacity)));
        }
        double[] all = results.stream().mapToDouble(Trace.HitRatios::all).sorted().toArray();
        double[] workload = results.stream().mapToDouble(Trace.HitRatios::workload).sorted().toArray();
        return new Trace.HitRatios(all[all.length / 2], workload[workload.length / 2]);
    }

    /** Prints the hit ratios as a Markdown table. */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.println("| trace | cache | W-TinyLFU | LRU | W-TinyLFU, reads outside scans"
                + " | LRU, reads outside scans |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
        for (int fraction : new int[] {8, 4, 2}) {
            int capacity = WORKING_SET / fraction;
            for (LongFunction<Trace> trace : traces(WORKING_SET, capacity)) {
                List<Trace> bySeed = LongStream.rangeClosed(1, runs).mapToObj(trace).collect(Collectors.toList());
                Trace.HitRatios tinyLfu = median(bySeed, ChunkIndex.Policy.TINY_LFU, capacity);
                Trace.HitRatios lru = median(bySeed, ChunkIndex.Policy.LRU, capacity);
                System.out.printf("| %s | 1/%d (%d chunks) | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n",
                        bySeed.get(0).name(), fraction, capacity, 100 * tinyLfu.all(), 100 * lru.all(),
                        100 * tinyLfu.workload(), 100 * lru.workload());
            }
        }
    }
}
