package org.storagegateway.benchmarks.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storagegateway.benchmarks.iscsi.codec.DigestMode;
import org.storagegateway.benchmarks.iscsi.codec.Wire;
import org.storagegateway.iscsi.codec.Crc32cDigest;
import org.storagegateway.iscsi.codec.FrameDecoder;
import org.storagegateway.iscsi.codec.OutboundPdu;
import org.storagegateway.iscsi.codec.PduEncoder;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.login.SessionParameters;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.LoginRequestPdu;
import org.storagegateway.iscsi.pdu.LoginResponsePdu;
import org.storagegateway.iscsi.pdu.Pdu;
import org.storagegateway.iscsi.pdu.ScsiCommandPdu;
import org.storagegateway.iscsi.pdu.ScsiResponsePdu;
import org.storagegateway.iscsi.session.LoginHandler;
import org.storagegateway.iscsi.session.PortalContext;
import org.storagegateway.iscsi.session.SessionRegistry;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.ScsiTargetDevice;
import org.storagegateway.scsi.TaskAttribute;

/**
 * One iSCSI connection in full feature phase inside an {@link EmbeddedChannel}, built exactly as the server builds a
 * connection (frame decoder, PDU encoder, login handler) and logged in through the real login phase (RFC 7143 §6), so
 * the pipeline that serves commands afterwards is the server's own. Commands go in as wire bytes with the negotiated
 * header digest; everything the target sends comes out as buffers. Not thread-safe, like the event loop it stands for.
 */
public final class EmbeddedSession implements AutoCloseable {
    static final String TARGET = "iqn.2026-01.org.storagegateway.bench:disk0";
    static final String INITIATOR = "iqn.2026-01.org.storagegateway.bench:initiator";
    private static final byte[] ISID = {0x00, 0x02, 0x3D, 0x00, 0x00, 0x01};
    private static final int LOGIN_STEPS = 4;

    private final EmbeddedChannel channel;
    private final DigestMode digests;
    private int cmdSN = 1;
    private int expStatSN;
    private int initiatorTaskTag = 0x1000;

    /**
     * Logs in to a normal session on {@code device} with the given digests and our (the initiator's)
     * MaxRecvDataSegmentLength, which sets the size of the target's Data-In PDUs (RFC 7143 §13.12).
     */
    public EmbeddedSession(ScsiTargetDevice device, DigestMode digests, int initiatorMaxRecvDataSegmentLength) {
        this.digests = digests;
        TargetCatalog catalog = new TargetCatalog();
        catalog.add(new TargetDefinition(TARGET, null, Set.of(), ChapPolicy.NONE, device));
        // Commands run inline (a memory disk never blocks); no NOP-In pings, whose timers EmbeddedChannel would hold.
        PortalContext portal = new PortalContext(catalog, LoginSettings.defaults(), List.of(), 1,
                new SessionRegistry(), Runnable::run, 64 << 20, 128L << 20, Duration.ZERO, Duration.ZERO,
                new SecureRandom());
        channel = new EmbeddedChannel();
        channel.pipeline()
                .addLast("frame-decoder", new FrameDecoder(SessionParameters.LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH))
                .addLast("pdu-encoder", new PduEncoder())
                .addLast("login", new LoginHandler(portal));
        login(initiatorMaxRecvDataSegmentLength);
        clearUnitAttention();
    }

    private void login(int maxRecvDataSegmentLength) {
        Map<String, String> security = new LinkedHashMap<>();
        security.put("InitiatorName", INITIATOR);
        security.put("SessionType", "Normal");
        security.put("TargetName", TARGET);
        security.put("AuthMethod", "None");
        loginStep(0, 1, security);
        Map<String, String> operational = new LinkedHashMap<>();
        operational.put("HeaderDigest", digests.headerDigestKey());
        operational.put("DataDigest", digests.dataDigestKey());
        operational.put("MaxRecvDataSegmentLength", Integer.toString(maxRecvDataSegmentLength));
        operational.put("ImmediateData", "Yes");
        operational.put("InitialR2T", "No");
        operational.put("FirstBurstLength", "262144");
        operational.put("MaxBurstLength", "16776192");
        operational.put("ErrorRecoveryLevel", "0");
        for (int step = 0; step < LOGIN_STEPS && channel.pipeline().get("login") != null; step++) {
            loginStep(1, 3, step == 0 ? operational : Map.of());
        }
        if (channel.pipeline().get("login") != null || !channel.isActive()) {
            throw new IllegalStateException("login did not reach full feature phase");
        }
    }

    private void loginStep(int currentStage, int nextStage, Map<String, String> keys) {
        StringBuilder text = new StringBuilder();
        keys.forEach((key, value) -> text.append(key).append('=').append(value).append('\0'));
        LoginRequestPdu request = new LoginRequestPdu(true, false, currentStage, nextStage, 0, 0, ISID, 0,
                initiatorTaskTag++, 0, cmdSN, expStatSN);
        // Login PDUs never carry digests (RFC 7143 §13.1).
        ByteBuf bytes = Wire.encode(DigestMode.NONE, List.of(new OutboundPdu(request,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8))));
        channel.writeInbound(bytes);
        ByteBuf reply = Wire.drain(channel);
        try {
            if (!(Pdu.read(reply) instanceof LoginResponsePdu response) || response.statusClass() != 0) {
                throw new IllegalStateException("login refused: " + ByteBufUtil.hexDump(reply, 0, Bhs.LENGTH));
            }
            expStatSN = response.statSN() + 1;
        } finally {
            reply.release();
        }
    }

    /** TEST UNIT READY until GOOD: the login's power-on unit attention must not answer a measured command. */
    private void clearUnitAttention() {
        for (int attempt = 0; attempt < 8; attempt++) {
            channel.writeInbound(command(new byte[ScsiCommandPdu.BHS_CDB_LENGTH], 0, false));
            ByteBuf reply = Wire.drain(channel);
            try {
                if (Pdu.read(reply) instanceof ScsiResponsePdu response
                        && response.status() == ScsiStatus.GOOD.code()) {
                    return;
                }
            } finally {
                reply.release();
            }
        }
        throw new IllegalStateException("TEST UNIT READY never answered GOOD");
    }

    /**
     * A SCSI Command PDU (RFC 7143 §11.3) with the next CmdSN and task tag, as wire bytes with the negotiated header
     * digest; no data segment, so only reads and commands without data.
     */
    public ByteBuf command(byte[] cdb, int expectedLength, boolean read) {
        ScsiCommandPdu pdu = new ScsiCommandPdu(false, true, read, false, TaskAttribute.SIMPLE, 0,
                initiatorTaskTag++, expectedLength, cmdSN++, expStatSN, cdb);
        ByteBuf bytes = channel.alloc().directBuffer(Bhs.LENGTH + Crc32cDigest.LENGTH);
        pdu.write(bytes, 0);
        if (digests.settings().header()) {
            Crc32cDigest.write(bytes, Crc32cDigest.compute(bytes, 0, Bhs.LENGTH, 0));
        }
        return bytes;
    }

    /** Feeds wire bytes to the target as one socket read; its answers wait in {@link #drain}. */
    public void receive(ByteBuf bytes) {
        channel.writeInbound(bytes);
    }

    /** Releases everything the target has sent so far; returns its length in bytes. */
    public long drain() {
        return Wire.discard(channel);
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
