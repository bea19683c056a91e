package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Logout Response (RFC 7143 §11.15). */
public record LogoutResponsePdu(LogoutResponseCode response, int initiatorTaskTag, int statSN, int expCmdSN,
                                int maxCmdSN, int time2Wait, int time2Retain) implements Pdu {

    public LogoutResponsePdu {
        Objects.requireNonNull(response, "response");
        Bhs.requireShort("Time2Wait", time2Wait);
        Bhs.requireShort("Time2Retain", time2Retain);
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_RESPONSE;
    }

    static LogoutResponsePdu read(ByteBuf bhs) {
        return new LogoutResponsePdu(LogoutResponseCode.fromCode(Bhs.u8(bhs, 2)), Bhs.i32(bhs, 16), Bhs.i32(bhs, 24),
                Bhs.i32(bhs, 28), Bhs.i32(bhs, 32), Bhs.u16(bhs, 40), Bhs.u16(bhs, 42));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, Bhs.FINAL_BIT, totalAhsWords, dataSegmentLength);
        out.setByte(s + 2, response.code());
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
        out.setShort(s + 40, time2Wait);
        out.setShort(s + 42, time2Retain);
    }
}
