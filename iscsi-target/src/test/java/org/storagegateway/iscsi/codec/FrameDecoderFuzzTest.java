package org.storagegateway.iscsi.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import org.storagegateway.iscsi.pdu.InvalidPduException;
import org.storagegateway.iscsi.pdu.ScsiCommandPdu;

/**
 * Fuzzes the framing decoder and PDU parsing: whatever the bytes, the only failures allowed are the decoder's own
 * {@link FramingException} and the parser's {@link InvalidPduException}, and no frame is larger than the limit.
 * Without JAZZER_FUZZ, {@code mvn test} replays the saved inputs.
 */
class FrameDecoderFuzzTest {
    private static final int LIMIT = 8192;

    @FuzzTest(maxDuration = "20s")
    void decodeAnything(byte[] input) {
        if (input.length == 0) {
            return;
        }
        FrameDecoder decoder = new FrameDecoder(LIMIT);
        int mode = input[0] & 0x3;
        decoder.digests(new DigestSettings((mode & 1) != 0, (mode & 2) != 0));
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        try {
            // Odd chunks, so partial headers and segments get exercised too.
            for (int at = 0; at < stream.length; at += 7) {
                channel.writeInbound(Unpooled.wrappedBuffer(stream, at, Math.min(7, stream.length - at)));
                drain(channel);
            }
        } catch (FramingException expected) {
            assertTrue(decoder.isBad());
        }
        channel.finishAndReleaseAll();
    }

    private static void drain(EmbeddedChannel channel) {
        IscsiFrame frame;
        while ((frame = channel.readInbound()) != null) {
            try {
                assertTrue(frame.dataLength() <= LIMIT);
                try {
                    if (frame.pdu() instanceof ScsiCommandPdu command) {
                        command.fullCdb(frame.ahs());
                    }
                } catch (InvalidPduException expected) {
                    // a Reject, not a crash
                }
            } finally {
                frame.release();
            }
        }
    }
}
