package org.storagegateway.iscsi.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The CRC32C header and data digests of RFC 7143 §13.1 (Castagnoli polynomial, RFC 7143 Appendix B.4), computed over
 * buffer ranges without copying. On the wire a digest goes least significant byte first (the RFC's examples show
 * 32 zero bytes digesting to aa 36 91 8a).
 */
public final class Crc32cDigest {
    /** Length of one digest on the wire. */
    public static final int LENGTH = 4;

    private static final ByteBuffer ZERO_PADDING = ByteBuffer.allocateDirect(3);

    private Crc32cDigest() {
    }

    /** The digest of {@code length} bytes at {@code index}, followed by {@code padding} zero bytes. */
    public static int compute(ByteBuf buffer, int index, int length, int padding) {
        CRC32C crc = new CRC32C();
        if (length > 0) {
            if (buffer.nioBufferCount() == 1) {
                crc.update(buffer.internalNioBuffer(index, length));
            } else {
                for (ByteBuffer part : buffer.nioBuffers(index, length)) {
                    crc.update(part);
                }
            }
        }
        if (padding > 0) {
            crc.update(ZERO_PADDING.duplicate().limit(padding));
        }
        return (int) crc.getValue();
    }

    /** Reads a digest as it sits on the wire at {@code index}. */
    public static int read(ByteBuf buffer, int index) {
        return buffer.getIntLE(index);
    }

    /** Appends a digest in wire order. */
    public static void write(ByteBuf out, int digest) {
        out.writeIntLE(digest);
    }
}
