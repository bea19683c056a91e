package org.storagegateway.benchmarks.cache.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.infra.ThreadParams;

/** The eviction study compares what it says: a true LRU, the cache's own index, and traces of the shapes named. */
class EvictionBenchmarksTest {

    @Test
    void lruEvictsTheLeastRecentlyReadChunk() {
        ChunkIndex lru = ChunkIndex.Policy.LRU.create(2);
        assertFalse(lru.access(1));
        assertFalse(lru.access(2));
        assertTrue(lru.access(1));
        assertFalse(lru.access(3), "evicts 2, read before 1");
        assertTrue(lru.access(1));
        assertFalse(lru.access(2));
    }

    @Test
    void onALoopLongerThanTheCacheLruNeverHitsAndTinyLfuKeepsMostOfIt() {
        Trace loop = Trace.loop(110, 110 * 30);
        assertEquals(0.0, loop.replay(ChunkIndex.Policy.LRU.create(100)).all());
        assertTrue(loop.replay(ChunkIndex.Policy.TINY_LFU.create(100)).all() > 0.5);
    }

    @Test
    void aHotSetSurvivesScansBetterUnderTinyLfu() {
        Trace trace = Trace.scannedHotSet(1024, 64, 512, 10, 1);
        assertEquals(10 * 1024, trace.scans().cardinality());
        double lru = trace.replay(ChunkIndex.Policy.LRU.create(128)).workload();
        double tinyLfu = trace.replay(ChunkIndex.Policy.TINY_LFU.create(128)).workload();
        assertTrue(tinyLfu > lru, "W-TinyLFU " + tinyLfu + ", LRU " + lru);
    }

    @Test
    void zipfReadsFavourAFewChunks() {
        long[] reads = Trace.zipf(1000, 0.9, 100_000, 1).reads();
        long[] counts = new long[1000];
        for (long chunk : reads) {
            counts[(int) chunk]++;
        }
        Arrays.sort(counts);
        long topTenth = Arrays.stream(counts, 900, 1000).sum();
        assertTrue(topTenth > reads.length / 2, "the top 10% of chunks take " + topTenth + " of " + reads.length);
    }

    @ParameterizedTest
    @EnumSource(ChunkIndex.Policy.class)
    void theIndexBenchmarkTouchesHeldChunksAndAddsNewOnesThatEvict(ChunkIndex.Policy policy) {
        ChunkIndexBenchmark.SharedIndex shared = new ChunkIndexBenchmark.SharedIndex();
        shared.policy = policy;
        shared.setUp();
        ChunkIndexBenchmark benchmark = new ChunkIndexBenchmark();
        benchmark.setUp(new ThreadParams(1, 2, 0, 1, 0, 1, 1, 2, 1, 2));
        int capacity = ChunkIndexBenchmark.CAPACITY;
        for (int i = 0; i < 1000; i++) {
            benchmark.touchHeld(shared);
        }
        assertEquals(capacity, held(shared.index, 0, capacity), "touches keep every chunk");
        for (int i = 0; i < 1000; i++) {
            benchmark.addNew(shared);
        }
        int kept = held(shared.index, 0, capacity);
        int added = held(shared.index, capacity, capacity + 1000);
        assertTrue(kept >= capacity - 1000, "each add evicts at most one chunk: " + kept);
        assertTrue(kept + added <= capacity, "the index stays within its capacity: " + (kept + added));
    }

    private static int held(ChunkIndex index, long from, long to) {
        int count = 0;
        for (long chunk = from; chunk < to; chunk++) {
            count += index.holds(chunk) ? 1 : 0;
        }
        return count;
    }
}
