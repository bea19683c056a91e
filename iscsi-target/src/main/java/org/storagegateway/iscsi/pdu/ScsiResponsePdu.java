package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.storagegateway.scsi.Residual;

/**
 * SCSI Response (RFC 7143 §11.4): the status of a command, with sense data (2-byte SenseLength, then the sense
 * bytes, §11.4.7) in the data segment for CHECK CONDITION.
 *
 * @param response 0x00 command completed at target, 0x01 target failure (RFC 7143 §11.4.3)
 * @param status   the SCSI status byte, valid when response is 0
 */
public record ScsiResponsePdu(int response, int status, Residual bidiReadResidual, Residual residual,
                              int initiatorTaskTag, int statSN, int expCmdSN, int maxCmdSN, int expDataSN)
        implements Pdu {

    /** Response code: command completed at target (RFC 7143 §11.4.3). */
    public static final int COMMAND_COMPLETED = 0x00;
    /** Response code: target failure (RFC 7143 §11.4.3). */
    public static final int TARGET_FAILURE = 0x01;

    private static final int BIDI_OVERFLOW = 0x10;
    private static final int BIDI_UNDERFLOW = 0x08;
    private static final int OVERFLOW = 0x04;
    private static final int UNDERFLOW = 0x02;

    public ScsiResponsePdu {
        Bhs.requireByte("response", response);
        Bhs.requireByte("status", status);
        Objects.requireNonNull(bidiReadResidual, "bidiReadResidual");
        Objects.requireNonNull(residual, "residual");
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_RESPONSE;
    }

    static ScsiResponsePdu read(ByteBuf bhs) {
        int flags = Bhs.flags(bhs);
        return new ScsiResponsePdu(Bhs.u8(bhs, 2), Bhs.u8(bhs, 3),
                residual(flags, BIDI_UNDERFLOW, BIDI_OVERFLOW, Bhs.i32(bhs, 40)),
                residual(flags, UNDERFLOW, OVERFLOW, Bhs.i32(bhs, 44)), Bhs.i32(bhs, 16), Bhs.i32(bhs, 24),
                Bhs.i32(bhs, 28), Bhs.i32(bhs, 32), Bhs.i32(bhs, 36));
    }

    static Residual residual(int flags, int underflowBit, int overflowBit, int count) {
        boolean underflow = Bhs.bit(flags, underflowBit);
        boolean overflow = Bhs.bit(flags, overflowBit);
        return underflow || overflow ? new Residual(underflow, overflow, count) : Residual.NONE;
    }

    static int residualFlags(Residual residual, int underflowBit, int overflowBit) {
        return (residual.underflow() ? underflowBit : 0) | (residual.overflow() ? overflowBit : 0);
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int flags = Bhs.FINAL_BIT | residualFlags(bidiReadResidual, BIDI_UNDERFLOW, BIDI_OVERFLOW)
                | residualFlags(residual, UNDERFLOW, OVERFLOW);
        int s = Bhs.begin(out, opcode(), false, flags, totalAhsWords, dataSegmentLength);
        out.setByte(s + 2, response);
        out.setByte(s + 3, status);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
        out.setInt(s + 36, expDataSN);
        out.setInt(s + 40, bidiReadResidual.count());
        out.setInt(s + 44, residual.count());
    }
}
