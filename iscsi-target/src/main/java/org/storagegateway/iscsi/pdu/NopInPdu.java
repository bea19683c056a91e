package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * NOP-In (RFC 7143 §11.19): the answer to a NOP-Out ping (ITT echoed, TTT 0xFFFFFFFF) or the target's own ping
 * (ITT 0xFFFFFFFF, a TTT the initiator must echo).
 */
public record NopInPdu(long lun, int initiatorTaskTag, int targetTransferTag, int statSN, int expCmdSN,
                       int maxCmdSN) implements Pdu {

    public NopInPdu {
        if (initiatorTaskTag != Bhs.NO_TAG && targetTransferTag != Bhs.NO_TAG) {
            throw new IllegalArgumentException("a NOP-In is either an answer or a ping, not both");
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_IN;
    }

    static NopInPdu read(ByteBuf bhs) {
        return new NopInPdu(Bhs.i64(bhs, 8), Bhs.i32(bhs, 16), Bhs.i32(bhs, 20), Bhs.i32(bhs, 24),
                Bhs.i32(bhs, 28), Bhs.i32(bhs, 32));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, Bhs.FINAL_BIT, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, targetTransferTag);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
    }
}
