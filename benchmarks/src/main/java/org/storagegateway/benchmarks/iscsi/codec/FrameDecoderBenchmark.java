package org.storagegateway.benchmarks.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.storagegateway.iscsi.codec.FrameDecoder;
import org.storagegateway.iscsi.codec.IscsiFrame;
import org.storagegateway.iscsi.codec.OutboundPdu;
import org.storagegateway.iscsi.pdu.DataOutPdu;
import org.storagegateway.iscsi.pdu.ScsiCommandPdu;
import org.storagegateway.scsi.TaskAttribute;

/**
 * Receiving one 1 MiB WRITE(10): its SCSI Command PDU and the Data-Out PDUs carrying the data (RFC 7143 §11.3,
 * §11.7), arriving in 64 KiB socket reads, through {@link FrameDecoder} (framing, digest checks, a retained slice per
 * PDU) and the BHS parse. Compares digests off and on, small and large data segments, and Netty's merging cumulator
 * (the decoder's default, which copies reads into one buffer) against the composite one (which does not).
 */
public class FrameDecoderBenchmark extends PduTransferBenchmark {
    /** Bytes of write data per operation. */
    public static final int TRANSFER = 1 << 20;
    /** Bytes per socket read: the most Netty's adaptive receive buffer hands over at once by default. */
    public static final int READ_CHUNK = 64 << 10;
    private static final int MAX_RECV_DATA_SEGMENT_LENGTH = 262_144;

    /** Netty's two cumulation strategies, as a parameter. */
    public enum Cumulation {
        MERGE(ByteToMessageDecoder.MERGE_CUMULATOR),
        COMPOSITE(ByteToMessageDecoder.COMPOSITE_CUMULATOR);

        final ByteToMessageDecoder.Cumulator cumulator;

        Cumulation(ByteToMessageDecoder.Cumulator cumulator) {
            this.cumulator = cumulator;
        }
    }

    @Param({"MERGE", "COMPOSITE"})
    Cumulation cumulation;

    private ByteBuf stream;
    private EmbeddedChannel channel;

    @Setup(Level.Trial)
    public void setUp() {
        List<OutboundPdu> pdus = new ArrayList<>();
        byte[] cdb = new byte[ScsiCommandPdu.BHS_CDB_LENGTH];
        cdb[0] = 0x2A;                                  // WRITE(10), SBC-3 §5.30
        cdb[7] = (byte) ((TRANSFER / 512) >>> 8);       // TRANSFER LENGTH in 512-byte blocks
        cdb[8] = (byte) (TRANSFER / 512);
        pdus.add(new OutboundPdu(new ScsiCommandPdu(false, true, false, true, TaskAttribute.SIMPLE, 0, 7, TRANSFER,
                1, 1, cdb)));
        byte[] data = BufferKind.pattern(segment);
        for (int offset = 0, dataSN = 0; offset < TRANSFER; offset += segment, dataSN++) {
            boolean last = offset + segment >= TRANSFER;
            pdus.add(new OutboundPdu(new DataOutPdu(last, 0, 7, 1, 1, dataSN, offset),
                    BufferKind.DIRECT.copyOf(data)));
        }
        stream = Wire.encode(digests, pdus);
        FrameDecoder decoder = new FrameDecoder(MAX_RECV_DATA_SEGMENT_LENGTH);
        decoder.digests(digests.settings());
        decoder.setCumulator(cumulation.cumulator);
        channel = new EmbeddedChannel(decoder);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        stream.release();
    }

    /** Frames and parses the whole write; returns the number of PDUs, all with valid digests. */
    @Benchmark
    public int decodeWrite(Blackhole blackhole) {
        int frames = 0;
        int length = stream.readableBytes();
        for (int offset = 0; offset < length; offset += READ_CHUNK) {
            // A slice with no room to grow, as a full socket read is: a cumulator keeps it or copies it.
            channel.writeInbound(stream.retainedSlice(offset, Math.min(READ_CHUNK, length - offset)));
            IscsiFrame frame;
            while ((frame = channel.readInbound()) != null) {
                try {
                    if (!frame.dataDigestValid()) {
                        throw new IllegalStateException("data digest mismatch in " + frame);
                    }
                    blackhole.consume(frame.pdu());
                    frames++;
                } finally {
                    frame.release();
                }
            }
        }
        return frames;
    }
}
