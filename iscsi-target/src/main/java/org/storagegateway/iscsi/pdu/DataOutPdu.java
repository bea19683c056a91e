package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SCSI Data-Out (RFC 7143 §11.7): write data, unsolicited (TTT 0xFFFFFFFF) or answering an R2T (its TTT). The F
 * bit ends a sequence.
 */
public record DataOutPdu(boolean finalFlag, long lun, int initiatorTaskTag, int targetTransferTag, int expStatSN,
                         int dataSN, int bufferOffset) implements Pdu {

    public DataOutPdu {
        if (bufferOffset < 0) {
            throw new IllegalArgumentException("buffer offset beyond 2 GiB: " + (bufferOffset & 0xFFFFFFFFL));
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_DATA_OUT;
    }

    /** Whether this PDU answers no R2T (RFC 7143 §11.7.4). */
    public boolean unsolicited() {
        return targetTransferTag == Bhs.NO_TAG;
    }

    static DataOutPdu read(ByteBuf bhs) {
        return new DataOutPdu(Bhs.bit(Bhs.flags(bhs), Bhs.FINAL_BIT), Bhs.i64(bhs, 8), Bhs.i32(bhs, 16),
                Bhs.i32(bhs, 20), Bhs.i32(bhs, 28), Bhs.i32(bhs, 36), Bhs.i32(bhs, 40));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, finalFlag ? Bhs.FINAL_BIT : 0, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, targetTransferTag);
        out.setInt(s + 28, expStatSN);
        out.setInt(s + 36, dataSN);
        out.setInt(s + 40, bufferOffset);
    }
}
