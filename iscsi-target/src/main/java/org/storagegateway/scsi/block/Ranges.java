package org.storagegateway.scsi.block;

import java.nio.ByteBuffer;

/** Preconditions and byte helpers the block devices share. */
final class Ranges {
    private Ranges() {
    }

    /** Throws unless {@code [offset, offset + length)} lies inside a device of {@code size} bytes. */
    static void check(long offset, long length, long size) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IndexOutOfBoundsException(String.format(
                    "range [%d, +%d) outside a device of %d bytes", offset, length, size));
        }
    }

    /** Whether {@code length} bytes of {@code buffer} from {@code position} are all zero; leaves the buffer as is. */
    static boolean isZero(ByteBuffer buffer, int position, int length) {
        int i = position;
        int end = position + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if (buffer.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Puts {@code length} zero bytes into {@code destination}, copying from a shared zero array. */
    static void putZeros(ByteBuffer destination, int length, byte[] zeros) {
        int left = length;
        while (left > 0) {
            int n = Math.min(left, zeros.length);
            destination.put(zeros, 0, n);
            left -= n;
        }
    }
}
