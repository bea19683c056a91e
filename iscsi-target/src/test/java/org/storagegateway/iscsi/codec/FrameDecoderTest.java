package org.storagegateway.iscsi.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.NopOutPdu;
import org.storagegateway.iscsi.pdu.Pdu;

class FrameDecoderTest {

    private static byte[] nopOut(int itt, byte[] data, DigestSettings digests) {
        ByteBuf buffer = Unpooled.buffer();
        new NopOutPdu(true, 0, itt, Bhs.NO_TAG, 1, 1).write(buffer, data.length);
        if (digests.header()) {
            Crc32cDigest.write(buffer, Crc32cDigest.compute(buffer, 0, Bhs.LENGTH, 0));
        }
        int start = buffer.writerIndex();
        buffer.writeBytes(data);
        int padding = Bhs.padded(data.length) - data.length;
        buffer.writeZero(padding);
        if (digests.data() && data.length > 0) {
            Crc32cDigest.write(buffer, Crc32cDigest.compute(buffer, start, data.length, padding));
        }
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    private static void feedOneByOne(EmbeddedChannel channel, byte[] bytes) {
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
    }

    @Test
    void crc32cMatchesTheRfcExample() {
        // RFC 7143 Appendix B.4 (from RFC 3720 B.4): 32 bytes of zeros give aa 36 91 8a on the wire.
        ByteBuf zeros = Unpooled.wrappedBuffer(new byte[32]);
        ByteBuf wire = Unpooled.buffer();
        Crc32cDigest.write(wire, Crc32cDigest.compute(zeros, 0, 32, 0));
        assertArrayEquals(new byte[] {(byte) 0xaa, 0x36, (byte) 0x91, (byte) 0x8a}, ByteBufUtilBytes.of(wire));
        // 32 bytes of 0xff: 43 ab a8 62.
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        wire.clear();
        Crc32cDigest.write(wire, Crc32cDigest.compute(Unpooled.wrappedBuffer(ones), 0, 32, 0));
        assertArrayEquals(new byte[] {0x43, (byte) 0xab, (byte) 0xa8, 0x62}, ByteBufUtilBytes.of(wire));
    }

    @Test
    void framesPdusFedOneByteAtATime() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(8192));
        byte[] data = "ping!".getBytes(StandardCharsets.US_ASCII);
        feedOneByOne(channel, nopOut(7, data, DigestSettings.NONE));
        feedOneByOne(channel, nopOut(8, new byte[0], DigestSettings.NONE));
        IscsiFrame first = channel.readInbound();
        IscsiFrame second = channel.readInbound();
        assertNull(channel.readInbound());
        try {
            assertEquals(7, first.pdu().initiatorTaskTag());
            assertEquals(5, first.dataLength());
            assertArrayEquals(data, ByteBufUtilBytes.of(first.data()));
            assertInstanceOf(NopOutPdu.class, second.pdu());
            assertEquals(0, second.dataLength());
        } finally {
            first.release();
            second.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void framesSeveralPdusInOneBufferAsSlicesOfIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(8192));
        byte[] one = nopOut(1, new byte[100], DigestSettings.NONE);
        byte[] two = nopOut(2, new byte[3], DigestSettings.NONE);
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        channel.writeInbound(Unpooled.wrappedBuffer(both));
        IscsiFrame first = channel.readInbound();
        IscsiFrame second = channel.readInbound();
        assertEquals(1, first.pdu().initiatorTaskTag());
        assertEquals(2, second.pdu().initiatorTaskTag());
        assertEquals(3, second.dataLength());
        first.release();
        second.release();
        assertFalse(channel.finish());
    }

    @Test
    void rejectsAnOversizedSegmentBeforeBufferingIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(8192));
        channel.config().setOption(ChannelOption.ALLOCATOR, new UnpooledByteBufAllocator(false));
        ByteBuf header = Unpooled.buffer();
        // Announces 16 MiB - 1 of data, but only the header is sent: the decoder must not wait for (or allocate) it.
        new NopOutPdu(true, 0, 1, Bhs.NO_TAG, 1, 1).write(header, Bhs.MAX_DATA_SEGMENT_LENGTH);
        FramingException error = assertThrows(FramingException.class, () -> channel.writeInbound(header));
        assertEquals(FramingException.Kind.DATA_SEGMENT_TOO_LONG, error.kind());
        // BAD state: anything after is discarded, nothing is emitted.
        channel.writeInbound(Unpooled.wrappedBuffer(nopOut(2, new byte[0], DigestSettings.NONE)));
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void acceptsSegmentsUpToTheNegotiatedLimit() {
        FrameDecoder decoder = new FrameDecoder(8192);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        decoder.maxDataSegmentLength(65536);
        channel.writeInbound(Unpooled.wrappedBuffer(nopOut(1, new byte[65536], DigestSettings.NONE)));
        IscsiFrame frame = channel.readInbound();
        assertEquals(65536, frame.dataLength());
        frame.release();
        assertFalse(channel.finish());
    }

    @Test
    void checksDigestsWhenOn() {
        DigestSettings both = new DigestSettings(true, true);
        FrameDecoder decoder = new FrameDecoder(8192);
        decoder.digests(both);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] good = nopOut(3, "abcdefg".getBytes(StandardCharsets.US_ASCII), both);
        feedOneByOne(channel, good);
        IscsiFrame frame = channel.readInbound();
        assertTrue(frame.dataDigestValid());
        assertArrayEquals("abcdefg".getBytes(StandardCharsets.US_ASCII), ByteBufUtilBytes.of(frame.data()));
        frame.release();

        byte[] badData = good.clone();
        badData[Bhs.LENGTH + 4 + 1] ^= 1;   // flip a data bit: the frame comes out marked, then the decoder stops
        channel.writeInbound(Unpooled.wrappedBuffer(badData));
        IscsiFrame damaged = channel.readInbound();
        assertFalse(damaged.dataDigestValid());
        damaged.release();
        assertTrue(decoder.isBad());
        channel.writeInbound(Unpooled.wrappedBuffer(good));
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void aWrongHeaderDigestIsFatal() {
        DigestSettings headerOnly = new DigestSettings(true, false);
        FrameDecoder decoder = new FrameDecoder(8192);
        decoder.digests(headerOnly);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] bytes = nopOut(3, new byte[0], headerOnly);
        bytes[20] ^= 0x40;
        FramingException error = assertThrows(FramingException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)));
        assertEquals(FramingException.Kind.HEADER_DIGEST_ERROR, error.kind());
        assertFalse(channel.finish());
    }

    @Test
    void encoderAndDecoderAgreeWithDigestsOnLargeAndSmallSegments() {
        DigestSettings both = new DigestSettings(true, true);
        PduEncoder encoder = new PduEncoder();
        encoder.digests(both);
        EmbeddedChannel out = new EmbeddedChannel(encoder);
        byte[] big = new byte[5001];
        new java.util.Random(5).nextBytes(big);
        out.writeOutbound(new OutboundPdu(new NopOutPdu(true, 0, 9, Bhs.NO_TAG, 1, 1), Unpooled.wrappedBuffer(big)));
        out.writeOutbound(new OutboundPdu(new NopOutPdu(true, 0, 10, Bhs.NO_TAG, 1, 1),
                Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        ByteBuf wire = Unpooled.buffer();
        ByteBuf part;
        while ((part = out.readOutbound()) != null) {
            wire.writeBytes(part);
            part.release();
        }
        assertFalse(out.finish());

        FrameDecoder decoder = new FrameDecoder(8192);
        decoder.digests(both);
        EmbeddedChannel in = new EmbeddedChannel(decoder);
        feedOneByOne(in, ByteBufUtilBytes.of(wire));
        IscsiFrame first = in.readInbound();
        IscsiFrame second = in.readInbound();
        assertTrue(first.dataDigestValid());
        assertArrayEquals(big, ByteBufUtilBytes.of(first.data()));
        assertEquals(10, second.pdu().initiatorTaskTag());
        first.release();
        second.release();
        assertFalse(in.finish());
    }

    @Test
    void encoderPassesLargeDataThroughWithoutCopying() {
        EmbeddedChannel out = new EmbeddedChannel(new PduEncoder());
        ByteBuf data = ByteBufAllocator.DEFAULT.directBuffer(4096).writeZero(4096);
        Pdu header = new NopOutPdu(true, 0, 9, Bhs.NO_TAG, 1, 1);
        out.writeOutbound(new OutboundPdu(header, data.retain()));
        ByteBuf bhs = out.readOutbound();
        ByteBuf payload = out.readOutbound();
        try {
            assertEquals(Bhs.LENGTH, bhs.readableBytes());
            assertEquals(4096, payload.readableBytes());
            data.setByte(100, 42);   // shared memory, not a copy: the write shows through
            assertEquals(42, payload.getByte(payload.readerIndex() + 100));
        } finally {
            bhs.release();
            payload.release();
        }
        data.release();
        assertEquals(0, data.refCnt());
        assertFalse(out.finish());
    }

    /** Bytes of a buffer's readable part. */
    static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf buffer) {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.getBytes(buffer.readerIndex(), bytes);
            return bytes;
        }
    }
}
