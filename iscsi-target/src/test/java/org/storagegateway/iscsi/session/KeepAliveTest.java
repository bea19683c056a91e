package org.storagegateway.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.storagegateway.iscsi.codec.FrameDecoder;
import org.storagegateway.iscsi.codec.PduEncoder;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.login.SessionParameters;
import org.storagegateway.iscsi.login.SessionType;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.NopInPdu;
import org.storagegateway.iscsi.pdu.NopOutPdu;
import org.storagegateway.iscsi.pdu.Pdu;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;
import org.storagegateway.iscsi.testing.FakeScsiDevice;

/** NOP-In keep-alive timing, driven by EmbeddedChannel's clock instead of sleeping. */
class KeepAliveTest {
    private final FakeScsiDevice device = new FakeScsiDevice(8, false);

    private EmbeddedChannel connection() {
        PortalContext portal = new PortalContext(new TargetCatalog(), LoginSettings.defaults(), List.of(), 1,
                new SessionRegistry(), Runnable::run, 1 << 20, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(3),
                new SecureRandom());
        TargetDefinition target = new TargetDefinition("iqn.2026-01.org.example:t", null, Set.of(), ChapPolicy.NONE,
                device);
        IscsiSession session = new IscsiSession(1, new byte[6], "iqn.2026-01.org.example:i", SessionType.NORMAL,
                target, 1, SessionParameters.LOGIN_DEFAULTS);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new FrameDecoder(8192), new PduEncoder(),
                new FullFeatureHandler(portal, session, 0, 1, 1));
        return channel;
    }

    private static Pdu readPdu(EmbeddedChannel channel) {
        ByteBuf header = channel.readOutbound();
        if (header == null) {
            return null;
        }
        try {
            return Pdu.read(header);
        } finally {
            header.release();
        }
    }

    private static void advance(EmbeddedChannel channel, int seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    @Test
    void anIdleInitiatorIsPingedAndDroppedWhenSilent() {
        EmbeddedChannel channel = connection();
        advance(channel, 4);
        assertNull(readPdu(channel), "no ping before the interval");
        advance(channel, 1);
        NopInPdu ping = assertInstanceOf(NopInPdu.class, readPdu(channel));
        assertEquals(Bhs.NO_TAG, ping.initiatorTaskTag());
        assertTrue(ping.targetTransferTag() != Bhs.NO_TAG);
        advance(channel, 2);
        assertTrue(channel.isOpen(), "still within the timeout");
        advance(channel, 1);
        assertFalse(channel.isOpen(), "closed after the unanswered ping's timeout");
        channel.finishAndReleaseAll();
    }

    @Test
    void anAnsweredPingKeepsTheConnection() {
        EmbeddedChannel channel = connection();
        advance(channel, 5);
        NopInPdu ping = (NopInPdu) readPdu(channel);
        ByteBuf answer = Unpooled.buffer();
        new NopOutPdu(true, 0, Bhs.NO_TAG, ping.targetTransferTag(), 1, 2).write(answer, 0);
        channel.writeInbound(answer);
        advance(channel, 4);
        assertTrue(channel.isOpen());
        assertNull(readPdu(channel), "activity in the last interval: no new ping");
        channel.finishAndReleaseAll();
    }
}
