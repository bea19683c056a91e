package org.storagegateway.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import java.util.Objects;
import org.storagegateway.iscsi.pdu.Pdu;

/**
 * A PDU to send: its header and its data segment (owned by this message; the encoder passes it on without copying).
 * AHS bytes are rare (an initiator's extended CDB) and kept as a small array.
 */
public final class OutboundPdu extends DefaultByteBufHolder {
    private static final byte[] NO_AHS = new byte[0];

    private final Pdu header;
    private final byte[] ahs;

    public OutboundPdu(Pdu header, ByteBuf data, byte[] ahs) {
        super(data == null ? Unpooled.EMPTY_BUFFER : data);
        this.header = Objects.requireNonNull(header, "header");
        this.ahs = ahs == null ? NO_AHS : ahs.clone();
        if (this.ahs.length % 4 != 0) {
            throw new IllegalArgumentException("AHS must be padded to 4 bytes, was " + this.ahs.length);
        }
    }

    /** A PDU with a data segment (which it takes ownership of). */
    public OutboundPdu(Pdu header, ByteBuf data) {
        this(header, data, null);
    }

    /** A PDU without a data segment. */
    public OutboundPdu(Pdu header) {
        this(header, null, null);
    }

    public Pdu header() {
        return header;
    }

    byte[] ahsBytes() {
        return ahs;
    }

    @Override
    public OutboundPdu replace(ByteBuf content) {
        return new OutboundPdu(header, content, ahs);
    }

    @Override
    public String toString() {
        return header + " +" + content().readableBytes() + " bytes";
    }
}
