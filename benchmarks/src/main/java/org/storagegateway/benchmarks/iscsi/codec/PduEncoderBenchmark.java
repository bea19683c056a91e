package org.storagegateway.benchmarks.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.storagegateway.iscsi.codec.OutboundPdu;
import org.storagegateway.iscsi.codec.PduEncoder;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.DataInPdu;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.ScsiStatus;

/**
 * Sending 1 MiB of read data as Data-In PDUs (RFC 7143 §11.7) through {@link PduEncoder}, written one by one and
 * flushed once as the session's response writer does. The data buffer is heap (what the SCSI layer's data-in wraps
 * today) or direct; segments are small (8 KiB, an initiator's default MaxRecvDataSegmentLength) or large; digests are
 * off or on, the data digest then reading every byte once more.
 */
public class PduEncoderBenchmark extends PduTransferBenchmark {
    /** Bytes of read data per operation. */
    public static final int TRANSFER = 1 << 20;

    @Param({"HEAP", "DIRECT"})
    BufferKind buffer;

    private ByteBuf data;
    private EmbeddedChannel channel;

    @Setup(Level.Trial)
    public void setUp() {
        data = buffer.copyOf(BufferKind.pattern(TRANSFER));
        PduEncoder encoder = new PduEncoder();
        encoder.digests(digests.settings());
        channel = new EmbeddedChannel(encoder);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        data.release();
    }

    /** Encodes the Data-In sequence, the last PDU carrying GOOD status; returns the bytes put on the wire. */
    @Benchmark
    public long encodeDataIn() {
        int dataSN = 0;
        for (int offset = 0; offset < TRANSFER; offset += segment) {
            int size = Math.min(segment, TRANSFER - offset);
            boolean last = offset + size == TRANSFER;
            DataInPdu header = new DataInPdu(last, last, ScsiStatus.GOOD.code(), Residual.NONE, 0, 7, Bhs.NO_TAG,
                    100, 10, 137, dataSN++, offset);
            channel.write(new OutboundPdu(header, data.retainedSlice(offset, size)), channel.voidPromise());
        }
        channel.flush();
        return Wire.discard(channel);
    }
}
