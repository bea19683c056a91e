package org.storagegateway.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Offsets, statistics and ratios: what makes the table's numbers mean what its header says. */
class WorkloadTest {
    @Test
    void aRandomStepScattersAndVisitsEverySlotOnce() {
        long lun = 256L << 20;
        Workload workload = Workload.RANDOM_READ_4K_QD32;
        long step = workload.step(lun);
        int slots = (int) (lun / workload.requestBytes());
        BitSet seen = new BitSet(slots);
        long offset = 0;
        for (int i = 0; i < slots; i++) {
            int slot = (int) (offset / workload.requestBytes());
            assertTrue(!seen.get(slot), "slot " + slot + " visited twice after " + i + " requests");
            seen.set(slot);
            long next = (offset + step) % lun;
            long distance = Math.min(Math.abs(next - offset), lun - Math.abs(next - offset));
            assertTrue(distance > lun / 4, "successive requests only " + distance + " bytes apart");
            offset = next;
        }
        assertEquals(slots, seen.cardinality());
    }

    @Test
    void aRegionalWorkloadStepsWithinItsRegion() {
        Workload workload = Workload.HOT_RANDOM_READ_4K_QD32;
        long lun = 1L << 30;
        assertEquals(Workload.HOT_REGION_BYTES, workload.span(lun));
        assertEquals(16L << 20, workload.span(16L << 20), "a region never exceeds the LUN");
        assertTrue(workload.step(lun) < Workload.HOT_REGION_BYTES);
        assertEquals(lun, Workload.RANDOM_READ_4K_QD32.span(lun));
        assertThrows(IllegalStateException.class, () -> Workload.RANDOM_DATA_FILL_1M_QD8.requests(Scale.FULL),
                "the random-data fill writes the whole LUN, not a request count");
    }

    @Test
    void aSequentialStepIsTheRequestSize() {
        assertEquals(1 << 20, Workload.SEQUENTIAL_READ_1M_QD8.step(1L << 30));
    }

    @Test
    void ratiosAreAboveOneWhenTheApplianceIsBetter() {
        assertEquals(2.0, Metric.IOPS.ratio(50_000, 100_000));
        assertEquals(2.0, Metric.LATENCY_P99.ratio(100, 50));
    }

    @Test
    void percentilesAreNearestRankAndMediansAverageTheMiddlePair() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertEquals(50, Statistics.percentile(values, 50));
        assertEquals(99, Statistics.percentile(values, 99));
        assertEquals(2.5, Statistics.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(3.0, Statistics.median(List.of(5.0, 1.0, 3.0)));
    }

    @Test
    void scalesAndMeasurementsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Scale.FULL.withRounds(0));
        assertThrows(IllegalArgumentException.class, () -> Scale.FULL.withLunBytes(1000));
        assertThrows(IllegalArgumentException.class,
                () -> new Measurement(java.util.Map.of(Metric.IOPS, Double.NaN), 10));
    }
}
