package org.storagegateway.benchmarks.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.storagegateway.iscsi.codec.OutboundPdu;
import org.storagegateway.iscsi.codec.PduEncoder;

/**
 * Byte streams as an initiator would send them, produced by the target's own {@link PduEncoder} (the wire format is
 * symmetric), so a benchmark's input carries correct lengths, padding and digests without a second encoder.
 */
public final class Wire {
    private Wire() {
    }

    /** The PDUs encoded back to back, digests as given, in one direct buffer the caller releases. */
    public static ByteBuf encode(DigestMode digests, List<OutboundPdu> pdus) {
        PduEncoder encoder = new PduEncoder();
        encoder.digests(digests.settings());
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        try {
            for (OutboundPdu pdu : pdus) {
                channel.write(pdu);
            }
            channel.flush();
            return drain(channel);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Releases everything the channel has written so far; returns how many bytes that was. */
    public static long discard(EmbeddedChannel channel) {
        long bytes = 0;
        ByteBuf part;
        while ((part = channel.readOutbound()) != null) {
            bytes += part.readableBytes();
            part.release();
        }
        return bytes;
    }

    /** Everything the channel has written so far, joined into one direct buffer the caller releases. */
    public static ByteBuf drain(EmbeddedChannel channel) {
        ByteBuf joined = Unpooled.directBuffer();
        ByteBuf part;
        while ((part = channel.readOutbound()) != null) {
            joined.writeBytes(part);
            part.release();
        }
        return joined;
    }
}
