package org.storagegateway.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One row of the results: a metric of one workload and client, the baseline peer against the appliance, as medians
 * over the rounds, with each side's peak RSS (the largest over the rounds) and median CPU per I/O.
 *
 * @param workload          the workload
 * @param client            the client's name
 * @param metric            the metric compared
 * @param peer              the baseline peer's name
 * @param peerMedian        the baseline's median
 * @param applianceMedian   the appliance's median
 * @param peerRssBytes      the baseline's peak RSS
 * @param applianceRssBytes the appliance's peak RSS
 * @param peerCpuMicros     the baseline's median CPU µs per I/O
 * @param applianceCpuMicros the appliance's median CPU µs per I/O
 * @param rounds            how many rounds the medians are over
 */
record Comparison(Workload workload, String client, Metric metric, String peer, double peerMedian,
        double applianceMedian, long peerRssBytes, long applianceRssBytes, double peerCpuMicros,
        double applianceCpuMicros, int rounds) {

    /** Above 1.0: the appliance is faster (or, for latency, quicker) than the peer. */
    double ratio() {
        return metric.ratio(peerMedian, applianceMedian);
    }

    /** Above 1.0: the appliance spends less CPU per I/O than the peer. */
    double cpuRatio() {
        return peerCpuMicros / applianceCpuMicros;
    }

    /** Every row: each baseline peer against the appliance (named {@code appliance}), in workload and client order. */
    static List<Comparison> of(List<Sample> samples, List<String> baselines, String appliance) {
        Map<Workload, Map<String, List<Sample>>> grouped = samples.stream().collect(Collectors.groupingBy(
                Sample::workload, java.util.TreeMap::new,
                Collectors.groupingBy(Sample::client, java.util.LinkedHashMap::new, Collectors.toList())));
        List<Comparison> rows = new ArrayList<>();
        grouped.forEach((workload, byClient) -> byClient.forEach((client, runs) -> {
            List<Sample> ours = only(runs, appliance);
            for (String baseline : baselines) {
                List<Sample> theirs = only(runs, baseline);
                for (Metric metric : workload.metrics()) {
                    if (ours.isEmpty() || theirs.isEmpty()
                            || !ours.get(0).measurement().values().containsKey(metric)) {
                        continue;
                    }
                    rows.add(new Comparison(workload, client, metric, baseline, median(theirs, metric),
                            median(ours, metric), peakRss(theirs), peakRss(ours), cpuPerIo(theirs), cpuPerIo(ours),
                            Math.min(ours.size(), theirs.size())));
                }
            }
        }));
        return rows;
    }

    private static List<Sample> only(List<Sample> runs, String peer) {
        Predicate<Sample> byPeer = sample -> sample.peer().equals(peer);
        return runs.stream().filter(byPeer).toList();
    }

    private static double median(List<Sample> runs, Metric metric) {
        return Statistics.median(runs.stream().map(sample -> sample.measurement().values().get(metric)).toList());
    }

    private static long peakRss(List<Sample> runs) {
        return runs.stream().mapToLong(sample -> sample.usage().peakRssBytes()).max().orElseThrow();
    }

    private static double cpuPerIo(List<Sample> runs) {
        return Statistics.median(runs.stream().map(Sample::cpuMicrosPerIo).toList());
    }
}
