package org.storagegateway.benchmarks.cache.policy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;
import org.storagegateway.benchmarks.MicroBenchmark;

/**
 * The eviction index's work per chunk, W-TinyLFU (the cache's {@code CleanChunkIndex}) against LRU, in an index of
 * {@link #CAPACITY} chunks that every thread shares ({@code -t 2} shows contention). {@link #touchHeld} is what every
 * read of a held chunk adds (Zipf-skewed over the held chunks); {@link #addNew} is what bringing a chunk in costs, an
 * add and the eviction it forces, which happens only after a fetch from the object store. Scores are millions of
 * operations per second; in the cache W-TinyLFU's evictions run on its evictor thread, here on the caller's, so CPU
 * time per operation ({@code ProcessCpuProfiler}) compares them best.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChunkIndexBenchmark extends MicroBenchmark {
    /** Chunks the index holds: a quarter of the eviction study's working set. */
    public static final int CAPACITY = EvictionStudy.WORKING_SET / 4;
    private static final int TOUCHES = 1 << 20;

    /** The index, full, and what is read from it, shared by every thread. */
    @State(Scope.Benchmark)
    public static class SharedIndex {
        @Param({"TINY_LFU", "LRU"})
        ChunkIndex.Policy policy;

        ChunkIndex index;
        long[] touches;
        final AtomicLong nextNew = new AtomicLong(CAPACITY);

        @Setup(Level.Trial)
        public void setUp() {
            index = policy.create(CAPACITY);
            for (long chunk = 0; chunk < CAPACITY; chunk++) {
                index.add(chunk);
            }
            touches = Trace.zipf(CAPACITY, EvictionStudy.ZIPF_EXPONENT, TOUCHES, 1).reads();
        }
    }

    private int next;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
        next = (int) ((long) thread.getThreadIndex() * TOUCHES / thread.getThreadCount());
    }

    @Benchmark
    public void touchHeld(SharedIndex shared) {
        shared.index.touch(shared.touches[next]);
        next = (next + 1) & (TOUCHES - 1);
    }

    @Benchmark
    public void addNew(SharedIndex shared) {
        shared.index.add(shared.nextNew.getAndIncrement());
    }
}
