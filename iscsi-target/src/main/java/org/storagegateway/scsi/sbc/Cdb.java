package org.storagegateway.scsi.sbc;

import org.storagegateway.scsi.CheckCondition;

/** Big-endian CDB field readers and the reserved-bit check every SBC handler uses (SPC-4 §4.2.5). */
final class Cdb {
    private Cdb() {
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, long v) {
        put16(b, i, (int) (v >>> 16));
        put16(b, i + 2, (int) v);
    }

    static void put64(byte[] b, int i, long v) {
        put32(b, i, v >>> 32);
        put32(b, i + 4, v);
    }

    /** Refuses set bits of {@code mask} in byte {@code index}: INVALID FIELD IN CDB at the highest offending bit. */
    static void reserved(byte[] cdb, int index, int mask) {
        int bad = cdb[index] & mask;
        if (bad != 0) {
            throw CheckCondition.invalidFieldInCdb(index, 31 - Integer.numberOfLeadingZeros(bad));
        }
    }

    /** Refuses a non-zero protection field (RDPROTECT, WRPROTECT, VRPROTECT, ORPROTECT; SBC-3 §5.x): no PI here. */
    static void noProtection(byte[] cdb) {
        if ((cdb[1] & 0xE0) != 0) {
            throw CheckCondition.invalidFieldInCdb(1, 7);
        }
    }
}
