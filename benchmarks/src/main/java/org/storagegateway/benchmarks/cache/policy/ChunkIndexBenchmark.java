package org.storagegateway.benchmarks.cache.policy;

import java.util.concurrent.TimeUnit;
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
 * One chunk read's work in the eviction index, W-TinyLFU (the cache's {@code CleanChunkIndex}) against LRU: a touch
 * on a hit, an add (and the evictions it causes) on a miss, replaying a Zipf trace over {@link
 * EvictionStudy#WORKING_SET} chunks with room for a quarter of them. The index is shared by all threads ({@code -t 2}
 * shows contention); each thread replays the trace from its own starting point. Scores are millions of reads per
 * second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChunkIndexBenchmark extends MicroBenchmark {
    /** The index and the trace, shared by every thread. */
    @State(Scope.Benchmark)
    public static class SharedIndex {
        @Param({"TINY_LFU", "LRU"})
        ChunkIndex.Policy policy;

        ChunkIndex index;
        long[] reads;

        @Setup(Level.Trial)
        public void setUp() {
            reads = Trace.zipf(EvictionStudy.WORKING_SET, EvictionStudy.ZIPF_EXPONENT, 1 << 20, 1).reads();
            index = policy.create(EvictionStudy.WORKING_SET / 4);
            for (long chunk : reads) {
                index.access(chunk);
            }
        }
    }

    private int next;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
        next = (int) ((long) thread.getThreadIndex() * (1 << 20) / thread.getThreadCount());
    }

    @Benchmark
    public boolean access(SharedIndex shared) {
        long chunk = shared.reads[next];
        next = (next + 1) & (shared.reads.length - 1);
        return shared.index.access(chunk);
    }
}
