package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Text Request (RFC 7143 §11.10); C marks text continued in the next PDU, F the end of the request. */
public record TextRequestPdu(boolean immediate, boolean finalFlag, boolean continueFlag, long lun,
                             int initiatorTaskTag, int targetTransferTag, int cmdSN, int expStatSN) implements Pdu {

    static final int CONTINUE_BIT = 0x40;

    public TextRequestPdu {
        if (finalFlag && continueFlag) {
            throw new IllegalArgumentException("F and C bits both set (RFC 7143 §11.10.2)");
        }
        if (initiatorTaskTag == Bhs.NO_TAG) {
            throw new IllegalArgumentException("Text Request with the reserved ITT 0xFFFFFFFF");
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_REQUEST;
    }

    static TextRequestPdu read(ByteBuf bhs) {
        int flags = Bhs.flags(bhs);
        return new TextRequestPdu(Bhs.immediate(bhs), Bhs.bit(flags, Bhs.FINAL_BIT), Bhs.bit(flags, CONTINUE_BIT),
                Bhs.i64(bhs, 8), Bhs.i32(bhs, 16), Bhs.i32(bhs, 20), Bhs.i32(bhs, 24), Bhs.i32(bhs, 28));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int flags = (finalFlag ? Bhs.FINAL_BIT : 0) | (continueFlag ? CONTINUE_BIT : 0);
        int s = Bhs.begin(out, opcode(), immediate, flags, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, targetTransferTag);
        out.setInt(s + 24, cmdSN);
        out.setInt(s + 28, expStatSN);
    }
}
