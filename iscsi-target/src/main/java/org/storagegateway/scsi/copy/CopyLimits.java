package org.storagegateway.scsi.copy;

import java.nio.ByteBuffer;

/**
 * What this copy manager accepts, as RECEIVE COPY RESULTS with OPERATING PARAMETERS reports it (SPC-3 §6.17.4) and as
 * the parameter list parser enforces it. One segment names at most 65535 blocks (NUMBER OF BLOCKS is 16 bits, SPC-3
 * §6.3.6.5); nothing is held for RECEIVE DATA and no inline or embedded data is accepted.
 */
final class CopyLimits {
    /** Identification descriptor CSCDs per command; VMware sends two (source and destination). */
    static final int MAX_CSCD_DESCRIPTORS = 16;
    /** Segment descriptors per command. */
    static final int MAX_SEGMENT_DESCRIPTORS = 64;
    static final int CSCD_DESCRIPTOR_LENGTH = 32;
    static final int BLOCK_SEGMENT_LENGTH = 28;
    /** Both descriptor lists together, in bytes: exactly the most descriptors allowed of the sizes supported. */
    static final int MAX_DESCRIPTOR_LIST_LENGTH =
            MAX_CSCD_DESCRIPTORS * CSCD_DESCRIPTOR_LENGTH + MAX_SEGMENT_DESCRIPTORS * BLOCK_SEGMENT_LENGTH;
    static final int MAX_SEGMENT_BLOCKS = 0xFFFF;
    /** EXTENDED COPY commands one logical unit runs at once; more are refused with INSUFFICIENT RESOURCES. */
    static final int MAX_CONCURRENT_COPIES = 16;
    /** Copy results held per logical unit for RECEIVE COPY RESULTS; the oldest are discarded beyond this. */
    static final int MAX_HELD_RESULTS = 256;
    /** The bounded buffer a copy moves data through. */
    static final int CHUNK_BYTES = 1 << 20;

    static final int SEGMENT_BLOCK_TO_BLOCK = 0x02;
    static final int CSCD_IDENTIFICATION = 0xE4;

    private CopyLimits() {
    }

    /**
     * OPERATING PARAMETERS data (SPC-3 §6.17.4, with SPC-4's SNLID bit): the limits above, data segment granularity
     * of one logical block of the unit asked, and the descriptor type codes implemented.
     */
    static byte[] operatingParameters(int blockSize) {
        byte[] codes = {SEGMENT_BLOCK_TO_BLOCK, (byte) CSCD_IDENTIFICATION};
        ByteBuffer data = ByteBuffer.allocate(44 + codes.length);
        data.putInt(0, data.capacity() - 4);
        data.put(4, (byte) 0x01); // SNLID: LIST ID USAGE 11b (no list identifier) is supported
        data.putShort(8, (short) MAX_CSCD_DESCRIPTORS);
        data.putShort(10, (short) MAX_SEGMENT_DESCRIPTORS);
        data.putInt(12, MAX_DESCRIPTOR_LIST_LENGTH);
        data.putInt(16, MAX_SEGMENT_BLOCKS * blockSize); // MAXIMUM SEGMENT LENGTH in bytes; at most 2^28 - 2^12
        // MAXIMUM INLINE DATA LENGTH, HELD DATA LIMIT, MAXIMUM STREAM DEVICE TRANSFER SIZE: 0.
        data.putShort(34, (short) MAX_CONCURRENT_COPIES); // TOTAL CONCURRENT COPIES
        data.put(36, (byte) MAX_CONCURRENT_COPIES);
        data.put(37, (byte) Integer.numberOfTrailingZeros(blockSize)); // DATA SEGMENT GRANULARITY, log2
        data.put(43, (byte) codes.length);
        data.put(44, codes);
        return data.array();
    }
}
