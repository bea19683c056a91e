package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Asynchronous Message (RFC 7143 §11.9). This target sends event 1, "target requests Logout", with Parameter3 the
 * time in seconds to log out, when it shuts down.
 */
public record AsyncMessagePdu(long lun, int statSN, int expCmdSN, int maxCmdSN, int asyncEvent, int asyncVCode,
                              int parameter1, int parameter2, int parameter3) implements Pdu {

    /** AsyncEvent 1: the target requests a logout within Parameter3 seconds (RFC 7143 §11.9.1). */
    public static final int EVENT_LOGOUT_REQUESTED = 1;

    public AsyncMessagePdu {
        Bhs.requireByte("AsyncEvent", asyncEvent);
        Bhs.requireByte("AsyncVCode", asyncVCode);
        Bhs.requireShort("Parameter1", parameter1);
        Bhs.requireShort("Parameter2", parameter2);
        Bhs.requireShort("Parameter3", parameter3);
    }

    @Override
    public Opcode opcode() {
        return Opcode.ASYNC_MESSAGE;
    }

    @Override
    public int initiatorTaskTag() {
        return Bhs.NO_TAG;
    }

    static AsyncMessagePdu read(ByteBuf bhs) {
        return new AsyncMessagePdu(Bhs.i64(bhs, 8), Bhs.i32(bhs, 24), Bhs.i32(bhs, 28), Bhs.i32(bhs, 32),
                Bhs.u8(bhs, 36), Bhs.u8(bhs, 37), Bhs.u16(bhs, 38), Bhs.u16(bhs, 40), Bhs.u16(bhs, 42));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, Bhs.FINAL_BIT, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, Bhs.NO_TAG);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
        out.setByte(s + 36, asyncEvent);
        out.setByte(s + 37, asyncVCode);
        out.setShort(s + 38, parameter1);
        out.setShort(s + 40, parameter2);
        out.setShort(s + 42, parameter3);
    }
}
