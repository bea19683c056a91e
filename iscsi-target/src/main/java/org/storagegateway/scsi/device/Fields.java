package org.storagegateway.scsi.device;

import java.nio.ByteBuffer;

/**
 * Big-endian field readers and writers for CDBs, parameter lists and response data (SPC-4 §3.5.2: multi-byte fields
 * are big-endian), shared by the SCSI layer and every device type.
 */
public final class Fields {
    private Fields() {
    }

    public static int u8(byte[] bytes, int at) {
        return bytes[at] & 0xFF;
    }

    public static int u16(byte[] bytes, int at) {
        return (u8(bytes, at) << 8) | u8(bytes, at + 1);
    }

    public static long u32(byte[] bytes, int at) {
        return ((long) u16(bytes, at) << 16) | u16(bytes, at + 2);
    }

    public static long u64(byte[] bytes, int at) {
        return (u32(bytes, at) << 32) | u32(bytes, at + 4);
    }

    /** A 4-byte length field, clamped to Integer.MAX_VALUE: no response or parameter list is that long. */
    public static int u32Length(byte[] bytes, int at) {
        return (int) Math.min(u32(bytes, at), Integer.MAX_VALUE);
    }

    public static boolean bit(byte[] bytes, int at, int bit) {
        return (bytes[at] & (1 << bit)) != 0;
    }

    public static void put16(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
    }

    public static void put32(byte[] bytes, int at, long value) {
        put16(bytes, at, (int) (value >>> 16));
        put16(bytes, at + 2, (int) value);
    }

    public static void put64(byte[] bytes, int at, long value) {
        put32(bytes, at, value >>> 32);
        put32(bytes, at + 4, value);
    }

    public static int u8(ByteBuffer buffer, int at) {
        return buffer.get(at) & 0xFF;
    }

    public static int u16(ByteBuffer buffer, int at) {
        return buffer.getShort(at) & 0xFFFF;
    }

    public static long u32(ByteBuffer buffer, int at) {
        return buffer.getInt(at) & 0xFFFF_FFFFL;
    }

    public static long u64(ByteBuffer buffer, int at) {
        return buffer.getLong(at);
    }
}
