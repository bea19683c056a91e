package org.storagegateway.scsi.spc;

/** Big-endian field readers for CDBs and parameter lists (SPC-4 §3.5.2: multi-byte fields are big-endian). */
final class CdbFields {
    private CdbFields() {
    }

    static int u8(byte[] bytes, int at) {
        return bytes[at] & 0xFF;
    }

    static int u16(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    /** A 4-byte length field; values beyond Integer.MAX_VALUE are clamped, as no response is that long. */
    static int u32(byte[] bytes, int at) {
        long value = ((long) u16(bytes, at) << 16) | u16(bytes, at + 2);
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    static boolean bit(byte[] bytes, int at, int bit) {
        return (bytes[at] & (1 << bit)) != 0;
    }

    static void putU16(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
    }

    static void putU32(byte[] bytes, int at, int value) {
        putU16(bytes, at, value >>> 16);
        putU16(bytes, at + 2, value);
    }
}
