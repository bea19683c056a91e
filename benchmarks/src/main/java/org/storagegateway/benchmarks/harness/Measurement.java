package org.storagegateway.benchmarks.harness;

import java.util.Map;

/**
 * What one client run reported.
 *
 * @param values the metrics it measured
 * @param ios    how many requests it completed (for CPU per I/O)
 */
public record Measurement(Map<Metric, Double> values, long ios) {
    public Measurement {
        values = Map.copyOf(values);
        if (values.isEmpty() || ios <= 0) {
            throw new IllegalArgumentException("a measurement needs values and a positive I/O count, had "
                    + values + " and " + ios);
        }
        values.forEach((metric, value) -> {
            if (!(value > 0) || value.isInfinite()) {
                throw new IllegalArgumentException(metric + " must be positive and finite, was " + value);
            }
        });
    }
}
