package org.storagegateway.benchmarks.iscsi.session;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.storagegateway.benchmarks.iscsi.codec.PduTransferBenchmark;
import org.storagegateway.benchmarks.scsi.MemoryDisk;

/**
 * The whole Data-In path of a logged-in connection: a READ(10) SCSI Command PDU in, framed and parsed, ordered by
 * CmdSN, executed by the SCSI target on a {@link MemoryDisk}, its data split into Data-In PDUs of the initiator's
 * MaxRecvDataSegmentLength ({@code segment}) with status in the last one (RFC 7143 §11.7), encoded and flushed. Compared with
 * {@code ScsiTargetBenchmark.read10Large} (the SCSI half alone), the difference is what the transport costs per
 * command. No socket: the kernel's copies are not here.
 */
public class DataInPathBenchmark extends PduTransferBenchmark {
    /** Bytes per READ. */
    @Param({"4096", "1048576"})
    int transfer;

    private EmbeddedSession session;
    private byte[] cdb;
    private long lba;

    @Setup(Level.Trial)
    public void setUp() {
        session = new EmbeddedSession(MemoryDisk.target(), digests, segment);
        cdb = MemoryDisk.cdb10(0x28, 0, transfer / MemoryDisk.BLOCK_SIZE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    /** One READ(10) from command PDU to flushed Data-In; returns the bytes the target sent. */
    @Benchmark
    public long read() {
        lba = (lba + transfer / MemoryDisk.BLOCK_SIZE) % MemoryDisk.WRITTEN_BLOCKS;
        MemoryDisk.setLba10(cdb, lba);
        session.receive(session.command(cdb, transfer, true));
        return session.drain();
    }
}
