package org.storagegateway.benchmarks.harness;

import java.util.Arrays;
import java.util.Collection;

/** Medians and percentiles, nearest-rank, as the results table reports them. */
final class Statistics {
    private Statistics() {
    }

    /** The nearest-rank percentile: the smallest value at least {@code p}% of the values are at or below. */
    static double percentile(double[] values, double p) {
        if (values.length == 0 || p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " of " + values.length + " values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[rank - 1];
    }

    /** The median; for an even count, the mean of the two middle values. */
    static double median(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of nothing");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
