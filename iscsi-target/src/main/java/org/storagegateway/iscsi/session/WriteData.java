package org.storagegateway.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * The write data of one task, held only as it arrives, so that memory follows what the initiator sends and never
 * what its EDTL claims. With DataPDUInOrder and DataSequenceInOrder at Yes and R2Ts answered in the order sent
 * (RFC 7143 §13.18, §13.19), data arrives in ascending offsets without gaps, so this is an append-only buffer that
 * takes up to three forms as it grows:
 * <ol>
 *   <li>immediate data stays in the received frame (no copy), as long as it is not a small part of a much larger
 *       receive buffer it would keep alive;</li>
 *   <li>unsolicited Data-Out goes to a buffer of the first burst's size (at most FirstBurstLength,
 *       RFC 7143 §13.14);</li>
 *   <li>solicited Data-Out (only after an R2T, which the connection sends only within its {@link WriteBudget})
 *       goes to one buffer of the whole transfer, allocated when the first solicited byte arrives.</li>
 * </ol>
 * The SCSI layer gets the data as one {@link ByteBuffer}. Each byte is copied once, except the unsolicited
 * Data-Out bytes of a write that also needs R2Ts (copied twice, at most FirstBurstLength of them). Confined to the
 * connection's event loop.
 */
final class WriteData {
    /** A received slice smaller than this fraction of its underlying buffer is copied rather than kept. */
    private static final int MAX_PINNING_RATIO = 4;

    private final ByteBufAllocator allocator;
    private final int length;
    private final int firstBurst;
    private ByteBuf data;
    private boolean owned;

    /**
     * @param length     the whole transfer (EDTL)
     * @param firstBurst where unsolicited data ends (immediate plus unsolicited Data-Out), at most {@code length}
     * @param immediate  the immediate data, retained, or null; this object takes ownership
     */
    WriteData(ByteBufAllocator allocator, int length, int firstBurst, ByteBuf immediate) {
        if (firstBurst < 0 || firstBurst > length) {
            throw new IllegalArgumentException(String.format("first burst %d outside the transfer of %d",
                    firstBurst, length));
        }
        this.allocator = allocator;
        this.length = length;
        this.firstBurst = firstBurst;
        if (immediate != null && immediate.isReadable()) {
            if (pinsMuchMore(immediate)) {
                data = copy(immediate, immediate.readableBytes());
                immediate.release();
                owned = true;
            } else {
                data = immediate;
            }
        } else if (immediate != null) {
            immediate.release();
        }
    }

    /** Bytes received so far. */
    int received() {
        return data == null ? 0 : data.readableBytes();
    }

    /** Appends the next bytes: unsolicited ones within the first burst, solicited ones after it. */
    void append(ByteBuf bytes, boolean solicited) {
        int count = bytes.readableBytes();
        if (count == 0) {
            return;
        }
        int end = received() + count;
        if (end > (solicited ? length : firstBurst)) {
            throw new IllegalStateException(String.format("%d bytes at offset %d overrun %d", count, received(),
                    solicited ? length : firstBurst));
        }
        room(solicited ? length : firstBurst);
        data.writeBytes(bytes, bytes.readerIndex(), count);
    }

    /** The whole transfer as one buffer for the SCSI layer, valid until {@link #release}; null when empty. */
    ByteBuffer view() {
        if (received() != length) {
            throw new IllegalStateException(String.format("%d of %d bytes received", received(), length));
        }
        return data == null ? null : data.nioBuffer(data.readerIndex(), length);
    }

    /** Frees what is held; later calls do nothing. */
    void release() {
        if (data != null) {
            data.release();
            data = null;
        }
    }

    /** Makes {@link #data} a buffer of our own with room for {@code size} bytes, keeping what arrived. */
    private void room(int size) {
        if (owned && data.capacity() >= size) {
            return;
        }
        ByteBuf grown = copy(data, size);
        if (data != null) {
            data.release();
        }
        data = grown;
        owned = true;
    }

    private ByteBuf copy(ByteBuf from, int capacity) {
        ByteBuf to = allocator.directBuffer(capacity, capacity);
        if (from != null) {
            to.writeBytes(from, from.readerIndex(), from.readableBytes());
        }
        return to;
    }

    /**
     * Whether keeping this slice would keep alive a buffer much larger than it: a frame's data is a slice of the
     * decoder's receive buffer, and a peer sending tiny segments could otherwise pin one such buffer per segment.
     */
    private static boolean pinsMuchMore(ByteBuf slice) {
        ByteBuf underlying = slice.unwrap();
        return underlying != null
                && (long) underlying.capacity() > (long) slice.readableBytes() * MAX_PINNING_RATIO;
    }

    @Override
    public String toString() {
        return String.format("WriteData[%d/%d, first burst %d]", received(), length, firstBurst);
    }
}
