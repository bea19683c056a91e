package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.storagegateway.scsi.Residual;

/**
 * SCSI Data-In (RFC 7143 §11.7). The last PDU of a command may carry its status (S bit, §11.7.3) and residual when
 * the command ends without sense data; the F bit closes a sequence (§11.7.1).
 *
 * @param status SCSI status byte, meaningful only with {@code statusPresent}
 */
public record DataInPdu(boolean finalFlag, boolean statusPresent, int status, Residual residual, long lun,
                        int initiatorTaskTag, int targetTransferTag, int statSN, int expCmdSN, int maxCmdSN,
                        int dataSN, int bufferOffset) implements Pdu {

    private static final int ACKNOWLEDGE_BIT = 0x40;
    private static final int OVERFLOW = 0x04;
    private static final int UNDERFLOW = 0x02;
    private static final int STATUS_BIT = 0x01;

    public DataInPdu {
        Objects.requireNonNull(residual, "residual");
        Bhs.requireByte("status", status);
        if (statusPresent && !finalFlag) {
            throw new IllegalArgumentException("S bit without F bit (RFC 7143 §11.7.3)");
        }
        if (!statusPresent && (status != 0 || residual != Residual.NONE)) {
            throw new IllegalArgumentException("status and residual need the S bit");
        }
        if (bufferOffset < 0) {
            throw new IllegalArgumentException("negative buffer offset: " + bufferOffset);
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_DATA_IN;
    }

    static DataInPdu read(ByteBuf bhs) {
        int flags = Bhs.flags(bhs);
        boolean statusPresent = Bhs.bit(flags, STATUS_BIT);
        return new DataInPdu(Bhs.bit(flags, Bhs.FINAL_BIT), statusPresent, statusPresent ? Bhs.u8(bhs, 3) : 0,
                statusPresent ? ScsiResponsePdu.residual(flags, UNDERFLOW, OVERFLOW, Bhs.i32(bhs, 44))
                        : Residual.NONE,
                Bhs.i64(bhs, 8), Bhs.i32(bhs, 16), Bhs.i32(bhs, 20), Bhs.i32(bhs, 24), Bhs.i32(bhs, 28),
                Bhs.i32(bhs, 32), Bhs.i32(bhs, 36), Bhs.i32(bhs, 40));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int flags = (finalFlag ? Bhs.FINAL_BIT : 0) | (statusPresent ? STATUS_BIT : 0)
                | ScsiResponsePdu.residualFlags(residual, UNDERFLOW, OVERFLOW);
        int s = Bhs.begin(out, opcode(), false, flags, totalAhsWords, dataSegmentLength);
        out.setByte(s + 3, status);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, targetTransferTag);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
        out.setInt(s + 36, dataSN);
        out.setInt(s + 40, bufferOffset);
        out.setInt(s + 44, residual.count());
    }

    /** Whether the A bit (DataACK request, ERL ≥ 1 only) is set in a BHS; this target never sets it. */
    static boolean acknowledgeRequested(ByteBuf bhs) {
        return Bhs.bit(Bhs.flags(bhs), ACKNOWLEDGE_BIT);
    }
}
