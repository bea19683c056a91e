package org.storagegateway.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.storagegateway.iscsi.pdu.Bhs;

/**
 * Cuts the TCP byte stream into iSCSI PDUs (RFC 7143 §11.1): peeks at TotalAHSLength and DataSegmentLength without
 * consuming, refuses a data segment longer than the MaxRecvDataSegmentLength we declared before any byte of it is
 * buffered, checks CRC32C digests when negotiated, and emits one retained slice per PDU, never a copy.
 *
 * <p>After a framing error it stays in {@link State#BAD} and discards everything: a stream whose boundaries are in
 * doubt cannot be resynchronised at ErrorRecoveryLevel 0 (RFC 7143 §7.8).
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private enum State { FRAMING, BAD }

    private State state = State.FRAMING;
    private int maxDataSegmentLength;
    private DigestSettings digests = DigestSettings.NONE;

    /** A decoder for the login phase: 8192-byte data segments, no digests (RFC 7143 §13.12). */
    public FrameDecoder(int maxDataSegmentLength) {
        maxDataSegmentLength(maxDataSegmentLength);
        // A PDU that spans socket reads is kept as the reads' own buffers side by side, not copied into one: the
        // write path copies it once more into the transfer buffer anyway (FrameDecoderBenchmark: 1 MiB of Data-Out
        // in 256 KiB PDUs decodes in ~4 µs instead of ~62 µs).
        setCumulator(COMPOSITE_CUMULATOR);
    }

    /** Sets the largest data segment accepted: our declared MaxRecvDataSegmentLength. */
    public void maxDataSegmentLength(int length) {
        if (length < 512 || length > Bhs.MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("MaxRecvDataSegmentLength out of range: " + length);
        }
        this.maxDataSegmentLength = length;
    }

    /** Turns digests on for every PDU after the one just emitted (RFC 7143 §13.1: after the final Login Response). */
    public void digests(DigestSettings digests) {
        this.digests = digests;
    }

    /** Whether a framing error has stopped the decoder. */
    public boolean isBad() {
        return state == State.BAD;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.BAD) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Bhs.LENGTH) {
            return;
        }
        int start = in.readerIndex();
        ByteBuf header = in.slice(start, Bhs.LENGTH);
        int ahsLength = Bhs.totalAhsLength(header);
        int dataLength = Bhs.dataSegmentLength(header);
        if (dataLength > maxDataSegmentLength) {
            fail(in, new FramingException(FramingException.Kind.DATA_SEGMENT_TOO_LONG,
                    String.format("data segment of %d bytes exceeds MaxRecvDataSegmentLength %d", dataLength,
                            maxDataSegmentLength)));
        }
        int headerDigestLength = digests.headerDigestLength();
        int paddedData = Bhs.padded(dataLength);
        int total = Bhs.LENGTH + ahsLength + headerDigestLength + paddedData + digests.dataDigestLength(dataLength);
        if (in.readableBytes() < total) {
            return;
        }
        if (headerDigestLength > 0) {
            int headerLength = Bhs.LENGTH + ahsLength;
            int expected = Crc32cDigest.compute(in, start, headerLength, 0);
            if (expected != Crc32cDigest.read(in, start + headerLength)) {
                fail(in, new FramingException(FramingException.Kind.HEADER_DIGEST_ERROR, "header digest mismatch"));
            }
        }
        boolean dataDigestValid = true;
        if (digests.dataDigestLength(dataLength) > 0) {
            int dataStart = start + Bhs.LENGTH + ahsLength + headerDigestLength;
            int expected = Crc32cDigest.compute(in, dataStart, dataLength, paddedData - dataLength);
            dataDigestValid = expected == Crc32cDigest.read(in, dataStart + paddedData);
        }
        out.add(new IscsiFrame(in.retainedSlice(start, total), ahsLength, headerDigestLength, dataLength,
                dataDigestValid));
        in.skipBytes(total);
        if (!dataDigestValid) {
            // The session rejects this PDU and drops the connection; nothing after it is trusted (RFC 7143 §7.8).
            state = State.BAD;
        }
    }

    private void fail(ByteBuf in, FramingException error) {
        state = State.BAD;
        in.skipBytes(in.readableBytes());
        throw error;
    }
}
