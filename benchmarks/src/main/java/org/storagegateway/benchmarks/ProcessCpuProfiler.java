package org.storagegateway.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import com.sun.management.OperatingSystemMXBean;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The CPU time the benchmark's JVM spends per operation, every thread counted (RocksDB's flushes and compactions, GC
 * and the JIT too), and the cores it kept busy. On a shared machine a benchmark's wall-clock score depends on what
 * else runs; the CPU it consumed per operation barely does, so variants compare on it when scores are too noisy:
 * {@code -prof org.storagegateway.benchmarks.ProcessCpuProfiler}.
 */
public final class ProcessCpuProfiler implements InternalProfiler {
    private final OperatingSystemMXBean system =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "process CPU time per operation (all threads), and cores used";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        wallStart = System.nanoTime();
        cpuStart = system.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = system.getProcessCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        long operations = Math.max(1, result.getMetadata().getAllOps());
        return List.of(
                new ScalarResult("cpu.time.norm", (double) cpu / operations, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.cores", (double) cpu / wall, "cores", AggregationPolicy.AVG));
    }
}
