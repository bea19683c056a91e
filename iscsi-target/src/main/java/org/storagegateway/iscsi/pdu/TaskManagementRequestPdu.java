package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Task Management Function Request (RFC 7143 §11.5). */
public record TaskManagementRequestPdu(boolean immediate, TaskFunction function, long lun, int initiatorTaskTag,
                                       int referencedTaskTag, int cmdSN, int expStatSN, int refCmdSN, int expDataSN)
        implements Pdu {

    private static final int FUNCTION_MASK = 0x7F;

    public TaskManagementRequestPdu {
        Objects.requireNonNull(function, "function");
    }

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MANAGEMENT_REQUEST;
    }

    static TaskManagementRequestPdu read(ByteBuf bhs) {
        return new TaskManagementRequestPdu(Bhs.immediate(bhs), TaskFunction.fromCode(Bhs.flags(bhs) & FUNCTION_MASK),
                Bhs.i64(bhs, 8), Bhs.i32(bhs, 16), Bhs.i32(bhs, 20), Bhs.i32(bhs, 24), Bhs.i32(bhs, 28),
                Bhs.i32(bhs, 32), Bhs.i32(bhs, 36));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), immediate, Bhs.FINAL_BIT | function.code(), totalAhsWords,
                dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, referencedTaskTag);
        out.setInt(s + 24, cmdSN);
        out.setInt(s + 28, expStatSN);
        out.setInt(s + 32, refCmdSN);
        out.setInt(s + 36, expDataSN);
    }
}
