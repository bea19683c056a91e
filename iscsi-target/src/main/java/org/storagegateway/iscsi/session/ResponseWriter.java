package org.storagegateway.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.ByteBuffer;
import org.storagegateway.iscsi.codec.OutboundPdu;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.DataInPdu;
import org.storagegateway.iscsi.pdu.Pdu;
import org.storagegateway.iscsi.pdu.ScsiResponsePdu;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiStatus;

/**
 * Sends a connection's PDUs: numbers responses with StatSN (RFC 7143 §4.2.2.2), stamps ExpCmdSN/MaxCmdSN, turns a
 * SCSI result into Data-In PDUs and/or a SCSI Response, and flushes once per batch (after a read burst, or once for
 * all completions queued on the event loop), never per PDU. Confined to the connection's event loop.
 */
final class ResponseWriter {
    private final ChannelHandlerContext ctx;
    private final CommandSequencer sequencer;
    private final Runnable flushTask = this::flushNow;
    private int statSN;
    private boolean reading;
    private boolean dirty;
    private boolean flushScheduled;

    ResponseWriter(ChannelHandlerContext ctx, CommandSequencer sequencer, int firstStatSN) {
        this.ctx = ctx;
        this.sequencer = sequencer;
        this.statSN = firstStatSN;
    }

    /** The StatSN the next response will carry. */
    int statSN() {
        return statSN;
    }

    /** Takes the next StatSN for a response. */
    int takeStatSN() {
        return statSN++;
    }

    int expCmdSN() {
        return sequencer.expCmdSN();
    }

    int maxCmdSN() {
        return sequencer.maxCmdSN();
    }

    /** Queues a PDU (taking ownership of {@code data}); it goes out with the batch's flush. */
    void send(Pdu header, ByteBuf data) {
        send(header, data, ctx.voidPromise());
    }

    /** Queues a PDU as {@link #send(Pdu, ByteBuf)} does, completing {@code promise} once it is written or failed. */
    private void send(Pdu header, ByteBuf data, ChannelPromise promise) {
        ctx.write(new OutboundPdu(header, data), promise);
        dirty = true;
        if (!reading && !flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    void send(Pdu header) {
        send(header, null);
    }

    /** A read burst starts: flushing waits for {@link #endOfReads}. */
    void beginReads() {
        reading = true;
    }

    /** The read burst ended (channelReadComplete): flush what it produced. */
    void endOfReads() {
        reading = false;
        flushNow();
    }

    /** Flushes now, e.g. before closing the connection. */
    void flushNow() {
        flushScheduled = false;
        if (dirty) {
            dirty = false;
            ctx.flush();
        }
    }

    /**
     * Sends a command's outcome (RFC 7143 §11.4, §11.7): data-in split into PDUs of at most
     * {@code maxPduLength} bytes and sequences of at most {@code maxBurst}; a GOOD status without sense rides in
     * the last Data-In (S bit), anything else follows in a SCSI Response with sense data as SenseLength + sense.
     * The data-in goes out as slices of the result's own buffer, never copied; {@code buffers}, when given, hold
     * that memory and are released once the command's last PDU has been written (or failed).
     */
    void sendResult(long lun, int initiatorTaskTag, int expectedLength, ScsiResult result, int r2tCount,
                    int maxPduLength, int maxBurst, DataInBuffers buffers) {
        ChannelPromise last = buffers == null ? ctx.voidPromise() : ctx.newPromise().addListener(buffers);
        ByteBuffer dataIn = result.dataIn();
        int length = dataIn == null ? 0 : Math.min(dataIn.remaining(), expectedLength);
        Residual residual = result.residual();
        if (dataIn != null && dataIn.remaining() > expectedLength) {
            // The SCSI layer promises never to exceed EDTL; if it did, report what was cut (RFC 7143 §11.4.5.1).
            residual = Residual.of(expectedLength, dataIn.remaining());
        }
        boolean statusInData = length > 0 && result.status() == ScsiStatus.GOOD && result.senseData() == null;
        int dataSN = 0;
        if (length > 0) {
            ByteBuf payload = Unpooled.wrappedBuffer(dataIn.duplicate().limit(dataIn.position() + length));
            dataSN = sendDataIn(lun, initiatorTaskTag, payload, length, statusInData ? residual : null,
                    maxPduLength, maxBurst, statusInData ? last : ctx.voidPromise());
        }
        if (!statusInData) {
            ByteBuf sense = senseSegment(result.senseData());
            send(new ScsiResponsePdu(ScsiResponsePdu.COMMAND_COMPLETED, result.status().code(), Residual.NONE,
                    residual, initiatorTaskTag, takeStatSN(), expCmdSN(), maxCmdSN(),
                    length > 0 ? dataSN : r2tCount), sense, last);
        }
    }

    /** Sends a SCSI Response with response code "target failure" (RFC 7143 §11.4.3). */
    void sendTargetFailure(int initiatorTaskTag) {
        send(new ScsiResponsePdu(ScsiResponsePdu.TARGET_FAILURE, 0, Residual.NONE, Residual.NONE, initiatorTaskTag,
                takeStatSN(), expCmdSN(), maxCmdSN(), 0));
    }

    private int sendDataIn(long lun, int initiatorTaskTag, ByteBuf payload, int length, Residual finalResidual,
                           int maxPduLength, int maxBurst, ChannelPromise lastPromise) {
        int offset = 0;
        int dataSN = 0;
        int burstUsed = 0;
        try {
            while (offset < length) {
                int size = Math.min(Math.min(maxPduLength, length - offset), maxBurst - burstUsed);
                boolean last = offset + size == length;
                boolean endOfSequence = last || burstUsed + size == maxBurst;
                boolean status = last && finalResidual != null;
                DataInPdu pdu = new DataInPdu(endOfSequence, status, status ? ScsiStatus.GOOD.code() : 0,
                        status ? finalResidual : Residual.NONE, lun, initiatorTaskTag, Bhs.NO_TAG,
                        status ? takeStatSN() : statSN, expCmdSN(), maxCmdSN(), dataSN++, offset);
                send(pdu, payload.retainedSlice(offset, size), last ? lastPromise : ctx.voidPromise());
                offset += size;
                burstUsed = endOfSequence ? 0 : burstUsed + size;
            }
        } finally {
            payload.release();
        }
        return dataSN;
    }

    private static ByteBuf senseSegment(ByteBuffer sense) {
        if (sense == null || !sense.hasRemaining()) {
            return null;
        }
        // RFC 7143 §11.4.7.2: a 2-byte SenseLength, then the sense data.
        ByteBuf segment = Unpooled.buffer(2 + sense.remaining());
        segment.writeShort(sense.remaining());
        segment.writeBytes(sense.duplicate());
        return segment;
    }
}
