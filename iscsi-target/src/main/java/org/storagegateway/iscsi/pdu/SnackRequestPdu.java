package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SNACK Request (RFC 7143 §11.16). Parsed so it can be answered: at ErrorRecoveryLevel 0 this target rejects every
 * SNACK (§11.16: SNACK support is required only for ERL &gt; 0).
 */
public record SnackRequestPdu(int type, long lun, int initiatorTaskTag, int targetTransferTag, int expStatSN,
                              int begRun, int runLength) implements Pdu {

    private static final int TYPE_MASK = 0x0F;

    public SnackRequestPdu {
        if (type < 0 || type > 3) {
            throw new IllegalArgumentException("SNACK type " + type + " is reserved");
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.SNACK_REQUEST;
    }

    static SnackRequestPdu read(ByteBuf bhs) {
        return new SnackRequestPdu(Bhs.flags(bhs) & TYPE_MASK, Bhs.i64(bhs, 8), Bhs.i32(bhs, 16), Bhs.i32(bhs, 20),
                Bhs.i32(bhs, 28), Bhs.i32(bhs, 40), Bhs.i32(bhs, 44));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, Bhs.FINAL_BIT | type, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, targetTransferTag);
        out.setInt(s + 28, expStatSN);
        out.setInt(s + 40, begRun);
        out.setInt(s + 44, runLength);
    }
}
