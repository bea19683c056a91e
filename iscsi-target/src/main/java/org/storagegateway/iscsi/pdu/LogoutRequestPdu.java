package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Logout Request (RFC 7143 §11.14). */
public record LogoutRequestPdu(boolean immediate, LogoutReason reason, int initiatorTaskTag, int cid, int cmdSN,
                               int expStatSN) implements Pdu {

    private static final int REASON_MASK = 0x7F;

    public LogoutRequestPdu {
        Objects.requireNonNull(reason, "reason");
        Bhs.requireShort("CID", cid);
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_REQUEST;
    }

    static LogoutRequestPdu read(ByteBuf bhs) {
        return new LogoutRequestPdu(Bhs.immediate(bhs), LogoutReason.fromCode(Bhs.flags(bhs) & REASON_MASK),
                Bhs.i32(bhs, 16), Bhs.u16(bhs, 20), Bhs.i32(bhs, 24), Bhs.i32(bhs, 28));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), immediate, Bhs.FINAL_BIT | reason.code(), totalAhsWords, dataSegmentLength);
        out.setInt(s + 16, initiatorTaskTag);
        out.setShort(s + 20, cid);
        out.setInt(s + 24, cmdSN);
        out.setInt(s + 28, expStatSN);
    }
}
