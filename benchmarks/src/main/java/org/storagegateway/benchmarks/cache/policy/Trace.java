package org.storagegateway.benchmarks.cache.policy;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A sequence of chunk reads for the eviction study, the same for the same seed.
 *
 * @param name  what it simulates
 * @param reads the chunk read by each access, in order
 * @param scans which accesses belong to a full scan rather than to the workload being served (none for most traces)
 */
public record Trace(String name, long[] reads, BitSet scans) {
    /**
     * {@code length} reads of {@code chunks} chunks where the k-th most popular chunk is read with probability
     * proportional to 1/k^{@code exponent} (Zipf); popularity is scattered over the chunk ids.
     */
    public static Trace zipf(int chunks, double exponent, int length, long seed) {
        double[] cumulative = new double[chunks];
        double sum = 0;
        for (int rank = 0; rank < chunks; rank++) {
            sum += 1 / Math.pow(rank + 1, exponent);
            cumulative[rank] = sum;
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] ids = shuffledIds(chunks, random);
        long[] reads = new long[length];
        for (int i = 0; i < length; i++) {
            int rank = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
            reads[i] = ids[rank < 0 ? -rank - 1 : rank];
        }
        return new Trace(String.format("Zipf %.1f over %d chunks", exponent, chunks), reads, new BitSet());
    }

    /** Chunks {@code 0 .. loop - 1} read in order, over and over, {@code length} reads in all. */
    public static Trace loop(int loop, int length) {
        long[] reads = new long[length];
        for (int i = 0; i < length; i++) {
            reads[i] = i % loop;
        }
        return new Trace("loop over " + loop + " chunks", reads, new BitSet());
    }

    /**
     * {@code cycles} times: {@code hotReads} uniformly random reads of a hot set of {@code hot} chunks scattered among
     * {@code chunks}, then one read of every chunk in order, as a backup reads the whole volume.
     */
    public static Trace scannedHotSet(int chunks, int hot, int hotReads, int cycles, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] hotIds = Arrays.copyOf(shuffledIds(chunks, random), hot);
        long[] reads = new long[cycles * (hotReads + chunks)];
        BitSet scans = new BitSet(reads.length);
        int i = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            for (int read = 0; read < hotReads; read++) {
                reads[i++] = hotIds[random.nextInt(hot)];
            }
            scans.set(i, i + chunks);
            for (int chunk = 0; chunk < chunks; chunk++) {
                reads[i++] = chunk;
            }
        }
        return new Trace(String.format("hot set of %d chunks, %d reads, then a scan of %d", hot, hotReads, chunks),
                reads, scans);
    }

    private static long[] shuffledIds(int chunks, SplittableRandom random) {
        long[] ids = new long[chunks];
        for (int i = 0; i < chunks; i++) {
            ids[i] = i;
        }
        for (int i = chunks - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = ids[i];
            ids[i] = ids[j];
            ids[j] = swap;
        }
        return ids;
    }

    /** Hits over all reads, and over the reads that are not part of a scan, replaying this trace on {@code index}. */
    public HitRatios replay(ChunkIndex index) {
        long hits = 0;
        long workloadHits = 0;
        for (int i = 0; i < reads.length; i++) {
            if (index.access(reads[i])) {
                hits++;
                workloadHits += scans.get(i) ? 0 : 1;
            }
        }
        int workloadReads = reads.length - scans.cardinality();
        return new HitRatios((double) hits / reads.length, (double) workloadHits / workloadReads);
    }

    /**
     * What a replay hit.
     *
     * @param all      hits per read
     * @param workload hits per read outside scans
     */
    public record HitRatios(double all, double workload) {
    }
}
