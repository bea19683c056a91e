package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Ready To Transfer (RFC 7143 §11.8): asks for {@code desiredLength} bytes of write data at {@code bufferOffset}. */
public record R2tPdu(long lun, int initiatorTaskTag, int targetTransferTag, int statSN, int expCmdSN, int maxCmdSN,
                     int r2tSN, int bufferOffset, int desiredLength) implements Pdu {

    public R2tPdu {
        if (targetTransferTag == Bhs.NO_TAG) {
            throw new IllegalArgumentException("an R2T needs a target transfer tag other than 0xFFFFFFFF");
        }
        if (bufferOffset < 0 || desiredLength <= 0) {
            throw new IllegalArgumentException(String.format("R2T range out of bounds: offset %d, length %d",
                    bufferOffset, desiredLength));
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.READY_TO_TRANSFER;
    }

    static R2tPdu read(ByteBuf bhs) {
        return new R2tPdu(Bhs.i64(bhs, 8), Bhs.i32(bhs, 16), Bhs.i32(bhs, 20), Bhs.i32(bhs, 24), Bhs.i32(bhs, 28),
                Bhs.i32(bhs, 32), Bhs.i32(bhs, 36), Bhs.i32(bhs, 40), Bhs.i32(bhs, 44));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, Bhs.FINAL_BIT, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, targetTransferTag);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
        out.setInt(s + 36, r2tSN);
        out.setInt(s + 40, bufferOffset);
        out.setInt(s + 44, desiredLength);
    }
}
