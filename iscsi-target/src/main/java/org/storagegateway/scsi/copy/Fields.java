package org.storagegateway.scsi.copy;

import java.nio.ByteBuffer;

/** Big-endian field readers for copy parameter lists (SPC-4 §3.5.2: multi-byte fields are big-endian). */
final class Fields {
    private Fields() {
    }

    static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xFF;
    }

    static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }

    static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFF_FFFFL;
    }

    static long u64(ByteBuffer b, int at) {
        return b.getLong(at);
    }
}
