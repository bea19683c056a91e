package org.storagegateway.benchmarks.iscsi.codec;

/** Sets the shared parameters of a PDU transfer benchmark, as JMH would before its setup. */
public final class Transfers {
    private Transfers() {
    }

    public static <T extends PduTransferBenchmark> T configured(T benchmark, DigestMode digests, int segment) {
        benchmark.digests = digests;
        benchmark.segment = segment;
        return benchmark;
    }
}
