package org.storagegateway.benchmarks.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The kinds of buffer the codec meets, as a JMH parameter: heap (a wrapped SCSI data-in array), direct (a socket
 * read), and composite (what a composite cumulator or a gathered write yields: two halves, so digests take the
 * multi-buffer path).
 */
public enum BufferKind {
    HEAP {
        @Override
        public ByteBuf copyOf(byte[] bytes) {
            return Unpooled.wrappedBuffer(bytes.clone());
        }
    },
    DIRECT {
        @Override
        public ByteBuf copyOf(byte[] bytes) {
            return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        }
    },
    COMPOSITE {
        @Override
        public ByteBuf copyOf(byte[] bytes) {
            int half = bytes.length / 2;
            return Unpooled.wrappedBuffer(DIRECT.copyOf(java.util.Arrays.copyOf(bytes, half)),
                    DIRECT.copyOf(java.util.Arrays.copyOfRange(bytes, half, bytes.length)));
        }
    };

    /** A buffer of this kind holding a copy of {@code bytes}; the caller releases it. */
    public abstract ByteBuf copyOf(byte[] bytes);

    /** {@code length} bytes of a fixed, non-zero pseudo-random pattern, the same in every run. */
    public static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(length).nextBytes(bytes);
        return bytes;
    }
}
