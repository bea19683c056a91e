package org.storagegateway.benchmarks.iscsi.codec;

import org.openjdk.jmh.annotations.Param;
import org.storagegateway.benchmarks.MicroBenchmark;

/** The parameters of every benchmark that moves data in PDUs: the digests, and the size of each data segment. */
public abstract class PduTransferBenchmark extends MicroBenchmark {
    @Param({"NONE", "BOTH"})
    public DigestMode digests;

    /**
     * DataSegmentLength of each Data-In or Data-Out PDU: 8 KiB (the MaxRecvDataSegmentLength of RFC 7143 §13.12 when
     * none is declared) or 256 KiB (what libiscsi and open-iscsi declare, and this target too).
     */
    @Param({"8192", "262144"})
    public int segment;
}
