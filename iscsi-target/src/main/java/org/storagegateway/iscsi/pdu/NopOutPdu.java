package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** NOP-Out (RFC 7143 §11.18): a ping from the initiator, or its answer to a target's NOP-In. */
public record NopOutPdu(boolean immediate, long lun, int initiatorTaskTag, int targetTransferTag, int cmdSN,
                        int expStatSN) implements Pdu {

    public NopOutPdu {
        // RFC 7143 §11.18.3: a NOP-Out answering a target ping carries ITT 0xFFFFFFFF; one that asks for an answer
        // must not also answer one.
        if (initiatorTaskTag == Bhs.NO_TAG && targetTransferTag == Bhs.NO_TAG && !immediate) {
            throw new IllegalArgumentException("a NOP-Out without ITT and TTT must be immediate");
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_OUT;
    }

    /** Whether the initiator asks for a NOP-In in return (ITT other than 0xFFFFFFFF, RFC 7143 §11.18.3). */
    public boolean wantsAnswer() {
        return initiatorTaskTag != Bhs.NO_TAG;
    }

    static NopOutPdu read(ByteBuf bhs) {
        return new NopOutPdu(Bhs.immediate(bhs), Bhs.i64(bhs, 8), Bhs.i32(bhs, 16), Bhs.i32(bhs, 20),
                Bhs.i32(bhs, 24), Bhs.i32(bhs, 28));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), immediate, Bhs.FINAL_BIT, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, targetTransferTag);
        out.setInt(s + 24, cmdSN);
        out.setInt(s + 28, expStatSN);
    }
}
