package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** Task Management Function Response (RFC 7143 §11.6). */
public record TaskManagementResponsePdu(TaskManagementResponseCode response, int initiatorTaskTag, int statSN,
                                        int expCmdSN, int maxCmdSN) implements Pdu {

    public TaskManagementResponsePdu {
        Objects.requireNonNull(response, "response");
    }

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MANAGEMENT_RESPONSE;
    }

    static TaskManagementResponsePdu read(ByteBuf bhs) {
        return new TaskManagementResponsePdu(TaskManagementResponseCode.fromCode(Bhs.u8(bhs, 2)), Bhs.i32(bhs, 16),
                Bhs.i32(bhs, 24), Bhs.i32(bhs, 28), Bhs.i32(bhs, 32));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, Bhs.FINAL_BIT, totalAhsWords, dataSegmentLength);
        out.setByte(s + 2, response.code());
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
    }
}
