package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Text Response (RFC 7143 §11.11). A response continued in further PDUs has F clear and a Target Transfer Tag the
 * initiator returns in its next (empty) Text Request; the last has F set and TTT 0xFFFFFFFF.
 */
public record TextResponsePdu(boolean finalFlag, boolean continueFlag, long lun, int initiatorTaskTag,
                              int targetTransferTag, int statSN, int expCmdSN, int maxCmdSN) implements Pdu {

    public TextResponsePdu {
        if (finalFlag && continueFlag) {
            throw new IllegalArgumentException("F and C bits both set (RFC 7143 §11.11.2)");
        }
        if (finalFlag != (targetTransferTag == Bhs.NO_TAG)) {
            throw new IllegalArgumentException("a final Text Response has TTT 0xFFFFFFFF, others need a TTT");
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_RESPONSE;
    }

    static TextResponsePdu read(ByteBuf bhs) {
        int flags = Bhs.flags(bhs);
        return new TextResponsePdu(Bhs.bit(flags, Bhs.FINAL_BIT), Bhs.bit(flags, TextRequestPdu.CONTINUE_BIT),
                Bhs.i64(bhs, 8), Bhs.i32(bhs, 16), Bhs.i32(bhs, 20), Bhs.i32(bhs, 24), Bhs.i32(bhs, 28),
                Bhs.i32(bhs, 32));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int flags = (finalFlag ? Bhs.FINAL_BIT : 0) | (continueFlag ? TextRequestPdu.CONTINUE_BIT : 0);
        int s = Bhs.begin(out, opcode(), false, flags, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, targetTransferTag);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
    }
}
