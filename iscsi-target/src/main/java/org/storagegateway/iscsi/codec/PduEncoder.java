package org.storagegateway.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import org.storagegateway.iscsi.pdu.Bhs;

/**
 * Writes PDUs as BHS + AHS + header digest, data segment, padding + data digest (RFC 7143 §11.1). Large data segments
 * go out as the buffer they came in (a wrapped SCSI data-in buffer, say), never copied; small ones are folded into
 * the header buffer so a short response is a single write.
 */
public final class PduEncoder extends MessageToMessageEncoder<OutboundPdu> {
    /** Data segments up to this size are copied next to the header: cheaper than a separate buffer. */
    private static final int INLINE_DATA_LIMIT = 512;

    private DigestSettings digests = DigestSettings.NONE;

    public PduEncoder() {
        super(OutboundPdu.class);
    }

    /** Turns digests on for every PDU encoded after this call (RFC 7143 §13.1: after the final Login Response). */
    public void digests(DigestSettings digests) {
        this.digests = digests;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundPdu message, List<Object> out) {
        ByteBuf data = message.content();
        byte[] ahs = message.ahsBytes();
        int dataLength = data.readableBytes();
        int padding = Bhs.padded(dataLength) - dataLength;
        int dataDigestLength = digests.dataDigestLength(dataLength);
        boolean inline = dataLength <= INLINE_DATA_LIMIT;
        int headerLength = Bhs.LENGTH + ahs.length;
        int capacity = headerLength + digests.headerDigestLength()
                + (inline ? dataLength + padding + dataDigestLength : 0);

        ByteBuf header = ctx.alloc().directBuffer(capacity);
        message.header().write(header, ahs.length / 4, dataLength);
        header.writeBytes(ahs);
        if (digests.header()) {
            Crc32cDigest.write(header, Crc32cDigest.compute(header, header.readerIndex(), headerLength, 0));
        }
        if (inline) {
            if (dataLength > 0) {
                header.writeBytes(data, data.readerIndex(), dataLength);
                writeTrailer(header, data, padding, dataDigestLength);
            }
            out.add(header);
            return;
        }
        out.add(header);
        // The message is released once encoded and owns its data buffer alone: pass that very buffer on (one
        // reference more) rather than a new slice object per PDU.
        out.add(data.retain());
        if (padding + dataDigestLength > 0) {
            ByteBuf trailer = ctx.alloc().directBuffer(padding + dataDigestLength);
            writeTrailer(trailer, data, padding, dataDigestLength);
            out.add(trailer);
        }
    }

    private static void writeTrailer(ByteBuf out, ByteBuf data, int padding, int dataDigestLength) {
        out.writeZero(padding);
        if (dataDigestLength > 0) {
            Crc32cDigest.write(out, Crc32cDigest.compute(data, data.readerIndex(), data.readableBytes(), padding));
        }
    }
}
