package org.storagegateway.scsi.sbc;

import org.storagegateway.scsi.device.Fields;

/**
 * The four CDB sizes of the SBC-3 read/write families (SBC-3 §5.11–5.16, §5.29–5.36): where each keeps its LOGICAL
 * BLOCK ADDRESS, its length field and its GROUP NUMBER.
 */
enum BlockCdb {
    /** READ(6)/WRITE(6): a 21-bit LBA in bytes 1..3, a one-byte length in byte 4 where 0 means 256. */
    SIX(4, -1),
    TEN(7, 6),
    TWELVE(6, 10),
    SIXTEEN(10, 14);

    private final int lengthByte;
    private final int groupByte;

    BlockCdb(int lengthByte, int groupByte) {
        this.lengthByte = lengthByte;
        this.groupByte = groupByte;
    }

    static BlockCdb of(byte[] cdb) {
        int opcode = cdb[0] & 0xFF;
        switch (opcode >>> 5) {
            case 0:
                return SIX;
            case 1:
            case 2:
                return TEN;
            case 4:
                return SIXTEEN;
            case 5:
                return TWELVE;
            default:
                throw new IllegalArgumentException(String.format("opcode 0x%02x is no block command", opcode));
        }
    }

    long lba(byte[] cdb) {
        switch (this) {
            case SIX:
                return ((cdb[1] & 0x1FL) << 16) | Fields.u16(cdb, 2);
            case TEN:
            case TWELVE:
                return Fields.u32(cdb, 2);
            default:
                return Fields.u64(cdb, 2);
        }
    }

    /** The transfer (or verification, or prefetch) length as written; READ/WRITE(6) map 0 to 256 themselves. */
    long length(byte[] cdb) {
        switch (this) {
            case SIX:
                return Fields.u8(cdb, 4);
            case TEN:
                return Fields.u16(cdb, 7);
            default:
                return Fields.u32(cdb, lengthByte);
        }
    }

    int lengthByte() {
        return lengthByte;
    }

    /** Refuses the reserved bits 7..5 above the GROUP NUMBER, where the CDB has one. */
    void checkGroupByte(byte[] cdb) {
        if (groupByte >= 0) {
            Cdb.reserved(cdb, groupByte, 0xE0);
        }
    }

    int groupByte() {
        return groupByte;
    }
}
