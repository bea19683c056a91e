package org.storagegateway.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.Pdu;

/**
 * One received PDU as the framing decoder cut it out of the stream: a single retained slice holding BHS, AHS, header
 * digest, data segment, padding and data digest, with views of the parts. The views live as long as the frame; keep
 * data beyond that with {@link #retainedData()}.
 */
public final class IscsiFrame extends DefaultByteBufHolder {
    private final int ahsLength;
    private final int headerDigestLength;
    private final int dataLength;
    private final boolean dataDigestValid;

    IscsiFrame(ByteBuf whole, int ahsLength, int headerDigestLength, int dataLength, boolean dataDigestValid) {
        super(whole);
        this.ahsLength = ahsLength;
        this.headerDigestLength = headerDigestLength;
        this.dataLength = dataLength;
        this.dataDigestValid = dataDigestValid;
    }

    /** The 48-byte Basic Header Segment. */
    public ByteBuf bhs() {
        return content().slice(content().readerIndex(), Bhs.LENGTH);
    }

    /** The Additional Header Segments, possibly empty. */
    public ByteBuf ahs() {
        return content().slice(content().readerIndex() + Bhs.LENGTH, ahsLength);
    }

    /** The data segment without padding or digest, possibly empty. */
    public ByteBuf data() {
        return content().slice(dataStart(), dataLength);
    }

    /** The data segment, retained: the caller releases it. */
    public ByteBuf retainedData() {
        return content().retainedSlice(dataStart(), dataLength);
    }

    public int dataLength() {
        return dataLength;
    }

    /**
     * False when data digests are on and the received digest did not match (RFC 7143 §7.8: at ERL 0 the target
     * rejects the PDU with reason 0x02 and drops the connection). The decoder stops after such a frame.
     */
    public boolean dataDigestValid() {
        return dataDigestValid;
    }

    /** Parses the BHS. */
    public Pdu pdu() {
        return Pdu.read(bhs());
    }

    private int dataStart() {
        return content().readerIndex() + Bhs.LENGTH + ahsLength + headerDigestLength;
    }

    @Override
    public IscsiFrame replace(ByteBuf content) {
        return new IscsiFrame(content, ahsLength, headerDigestLength, dataLength, dataDigestValid);
    }

    @Override
    public IscsiFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public IscsiFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return String.format("IscsiFrame[opcode=0x%02x ahs=%d data=%d]", Bhs.opcodeCode(content()), ahsLength,
                dataLength);
    }
}
