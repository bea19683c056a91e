package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * The 48-byte Basic Header Segment every iSCSI PDU starts with (RFC 7143 §11.2.1): field offsets shared by all PDU
 * kinds, absolute reads relative to the buffer's reader index, and the common part of writing one.
 */
public final class Bhs {
    /** Length of the Basic Header Segment (RFC 7143 §11.2.1). */
    public static final int LENGTH = 48;
    /** The reserved tag value 0xFFFFFFFF, used where no task tag or target transfer tag applies. */
    public static final int NO_TAG = 0xFFFFFFFF;
    /** The largest value the 24-bit DataSegmentLength field holds. */
    public static final int MAX_DATA_SEGMENT_LENGTH = 0xFFFFFF;

    static final int IMMEDIATE_BIT = 0x40;
    static final int OPCODE_MASK = 0x3F;
    static final int FINAL_BIT = 0x80;

    private Bhs() {
    }

    /** The 6-bit opcode field of the BHS at the reader index. */
    public static int opcodeCode(ByteBuf bhs) {
        return bhs.getUnsignedByte(bhs.readerIndex()) & OPCODE_MASK;
    }

    /** The I (immediate delivery) bit. */
    public static boolean immediate(ByteBuf bhs) {
        return (bhs.getUnsignedByte(bhs.readerIndex()) & IMMEDIATE_BIT) != 0;
    }

    /** TotalAHSLength in bytes (the field counts 4-byte words, RFC 7143 §11.2.1.5). */
    public static int totalAhsLength(ByteBuf bhs) {
        return bhs.getUnsignedByte(bhs.readerIndex() + 4) * 4;
    }

    /** DataSegmentLength in bytes, excluding padding (RFC 7143 §11.2.1.6). */
    public static int dataSegmentLength(ByteBuf bhs) {
        return bhs.getUnsignedMedium(bhs.readerIndex() + 5);
    }

    /** The Initiator Task Tag at bytes 16–19. */
    public static int initiatorTaskTag(ByteBuf bhs) {
        return bhs.getInt(bhs.readerIndex() + 16);
    }

    /** The data segment length rounded up to the 4-byte boundary the padding fills (RFC 7143 §11.1). */
    public static int padded(int length) {
        return (length + 3) & ~3;
    }

    static int flags(ByteBuf bhs) {
        return bhs.getUnsignedByte(bhs.readerIndex() + 1);
    }

    static int u8(ByteBuf bhs, int offset) {
        return bhs.getUnsignedByte(bhs.readerIndex() + offset);
    }

    static int u16(ByteBuf bhs, int offset) {
        return bhs.getUnsignedShort(bhs.readerIndex() + offset);
    }

    static int i32(ByteBuf bhs, int offset) {
        return bhs.getInt(bhs.readerIndex() + offset);
    }

    static long i64(ByteBuf bhs, int offset) {
        return bhs.getLong(bhs.readerIndex() + offset);
    }

    static boolean bit(int flags, int mask) {
        return (flags & mask) != 0;
    }

    /**
     * Appends a zeroed BHS with byte 0 (I bit, opcode), byte 1 (flags), TotalAHSLength and DataSegmentLength set;
     * returns the index of its first byte for the caller to set the opcode-specific fields.
     */
    static int begin(ByteBuf out, Opcode opcode, boolean immediate, int flags, int totalAhsWords,
                     int dataSegmentLength) {
        if (totalAhsWords < 0 || totalAhsWords > 0xFF) {
            throw new IllegalArgumentException("TotalAHSLength out of range: " + totalAhsWords);
        }
        if (dataSegmentLength < 0 || dataSegmentLength > MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("DataSegmentLength out of range: " + dataSegmentLength);
        }
        int start = out.writerIndex();
        out.writeZero(LENGTH);
        out.setByte(start, (immediate ? IMMEDIATE_BIT : 0) | opcode.code());
        out.setByte(start + 1, flags);
        out.setByte(start + 4, totalAhsWords);
        out.setMedium(start + 5, dataSegmentLength);
        return start;
    }

    static void requireByte(String name, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(String.format("%s out of range: %d", name, value));
        }
    }

    static void requireShort(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(String.format("%s out of range: %d", name, value));
        }
    }
}
