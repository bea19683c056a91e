package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Reject (RFC 7143 §11.17); the data segment carries the complete header of the rejected PDU. */
public record RejectPdu(RejectReason reason, int statSN, int expCmdSN, int maxCmdSN, int dataSN) implements Pdu {

    public RejectPdu {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Opcode opcode() {
        return Opcode.REJECT;
    }

    @Override
    public int initiatorTaskTag() {
        return Bhs.NO_TAG;
    }

    static RejectPdu read(ByteBuf bhs) {
        return new RejectPdu(RejectReason.fromCode(Bhs.u8(bhs, 2)), Bhs.i32(bhs, 24), Bhs.i32(bhs, 28),
                Bhs.i32(bhs, 32), Bhs.i32(bhs, 36));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, Bhs.FINAL_BIT, totalAhsWords, dataSegmentLength);
        out.setByte(s + 2, reason.code());
        out.setInt(s + 16, Bhs.NO_TAG);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
        out.setInt(s + 36, dataSN);
    }
}
