package org.storagegateway.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.iscsi.codec.DigestSettings;
import org.storagegateway.iscsi.codec.FrameDecoder;
import org.storagegateway.iscsi.codec.IscsiFrame;
import org.storagegateway.iscsi.codec.OutboundPdu;
import org.storagegateway.iscsi.codec.PduEncoder;
import org.storagegateway.iscsi.login.LoginNegotiator;
import org.storagegateway.iscsi.login.LoginRequestFields;
import org.storagegateway.iscsi.login.LoginResponseFields;
import org.storagegateway.iscsi.login.LoginStatus;
import org.storagegateway.iscsi.login.SessionParameters;
import org.storagegateway.iscsi.login.SessionType;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.InvalidPduException;
import org.storagegateway.iscsi.pdu.LoginRequestPdu;
import org.storagegateway.iscsi.pdu.LoginResponsePdu;
import org.storagegateway.iscsi.pdu.Pdu;

/**
 * A connection in its login phase (RFC 7143 §6): turns Login Request PDUs into {@link LoginRequestFields}, lets the
 * {@link LoginNegotiator} answer, and sends Login Responses. On success it assigns the TSIH, reinstates a session
 * with the same initiator port and target (RFC 7143 §6.3.5), switches digests and segment limits on, and replaces
 * itself in the pipeline with a {@link FullFeatureHandler}. Any failure sends a Login Response with its status and
 * closes the connection.
 */
public final class LoginHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(LoginHandler.class);
    /** A login must complete within this time, or the connection is dropped. */
    static final long LOGIN_TIMEOUT_SECONDS = 30;
    private static final byte[] NO_ISID = new byte[6];

    private final PortalContext portal;
    private final LoginNegotiator negotiator;
    private ScheduledFuture<?> timeout;
    private boolean first = true;
    private boolean finished;
    private byte[] isid;
    private int tsih;
    private int cid;
    private int statSN;

    public LoginHandler(PortalContext portal) {
        this.portal = portal;
        this.negotiator = new LoginNegotiator(portal.catalog(), portal.loginSettings(), portal.portals(),
                portal.random());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            log.info("{}: login not completed within {} s, closing", ctx.channel(), LOGIN_TIMEOUT_SECONDS);
            ctx.close();
        }, LOGIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && timeout == null) {
            channelActive(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof IscsiFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!finished) {
                handle(ctx, frame);
            }
        } finally {
            frame.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, IscsiFrame frame) {
        Pdu pdu;
        try {
            pdu = frame.pdu();
        } catch (InvalidPduException e) {
            // Garbage during login: an initiator error, then close (RFC 7143 §6.7).
            fail(ctx, Bhs.initiatorTaskTag(frame.bhs()), LoginStatus.INITIATOR_ERROR, 0, 0);
            return;
        }
        if (!(pdu instanceof LoginRequestPdu request)) {
            // RFC 7143 §11.13.5, 02-0B: only Login Requests are valid until the login completes.
            fail(ctx, pdu.initiatorTaskTag(), LoginStatus.INVALID_DURING_LOGIN, 0, 0);
            return;
        }
        if (first) {
            first = false;
            isid = request.isid();
            tsih = request.tsih();
            cid = request.cid();
            statSN = request.expStatSN();
            if (tsih != 0) {
                // MaxConnections is 1 and ERL is 0: no connection joins or reinstates an existing session.
                Optional<IscsiSession> existing = portal.registry().find(tsih);
                fail(ctx, request.initiatorTaskTag(), existing.isEmpty() ? LoginStatus.SESSION_DOES_NOT_EXIST
                        : LoginStatus.TOO_MANY_CONNECTIONS, request.cmdSN(), request.cmdSN());
                return;
            }
        } else if (!java.util.Arrays.equals(isid, request.isid()) || request.tsih() != tsih
                || request.cid() != cid) {
            fail(ctx, request.initiatorTaskTag(), LoginStatus.INITIATOR_ERROR, request.cmdSN(), request.cmdSN());
            return;
        }
        byte[] text = new byte[frame.dataLength()];
        frame.data().getBytes(0, text);
        LoginResponseFields response;
        try {
            response = negotiator.process(new LoginRequestFields(request.transit(), request.continueFlag(),
                    request.currentStage(), request.nextStage(), request.versionMax(), request.versionMin(),
                    request.isid(), request.tsih(), request.cid(), text));
        } catch (RuntimeException e) {
            log.warn("{}: login negotiation failed", ctx.channel(), e);
            fail(ctx, request.initiatorTaskTag(), LoginStatus.TARGET_ERROR, request.cmdSN(), request.cmdSN());
            return;
        }
        if (negotiator.failed()) {
            log.info("{}: login refused with {}", ctx.channel(), response.status().orElse(null));
            sendResponse(ctx, request, response, 0, request.cmdSN());
            closeAfterFlush(ctx);
        } else if (negotiator.fullFeaturePhaseReached()) {
            completeLogin(ctx, request, response);
        } else {
            sendResponse(ctx, request, response, 0, request.cmdSN());
            ctx.flush();
        }
    }

    /** The final response: register the session, reinstating any old one first, then enter full feature phase. */
    private void completeLogin(ChannelHandlerContext ctx, LoginRequestPdu request, LoginResponseFields response) {
        finished = true;
        timeout.cancel(false);
        SessionParameters parameters = negotiator.parameters();
        IscsiSession session = new IscsiSession(portal.registry().allocateTsih(), isid, negotiator.initiatorName(),
                negotiator.sessionType(), negotiator.target(), portal.portalGroupTag(), parameters);
        Optional<IscsiSession> replaced = portal.registry().register(session);
        if (replaced.isPresent()) {
            log.info("{} reinstates {}", session, replaced.get());
            replaced.get().close().whenComplete((v, e) -> ctx.executor().execute(
                    () -> enterFullFeaturePhase(ctx, request, response, session)));
        } else {
            enterFullFeaturePhase(ctx, request, response, session);
        }
    }

    private void enterFullFeaturePhase(ChannelHandlerContext ctx, LoginRequestPdu request,
                                       LoginResponseFields response, IscsiSession session) {
        if (!ctx.channel().isActive()) {
            portal.registry().remove(session);
            return;
        }
        if (session.type() == SessionType.NORMAL) {
            session.target().device().nexusAdded(session.nexus());
        }
        int maxCmdSN = request.cmdSN() + FullFeatureHandler.COMMAND_WINDOW - 1;
        sendResponse(ctx, request, response, session.tsih(), maxCmdSN);
        // RFC 7143 §13.1: digests start with the first PDU after the final Login Response; §13.12: from now on the
        // data segment limit is what each side declared.
        SessionParameters parameters = session.parameters();
        DigestSettings digests = new DigestSettings(parameters.headerDigest(), parameters.dataDigest());
        ctx.pipeline().get(PduEncoder.class).digests(digests);
        FrameDecoder decoder = ctx.pipeline().get(FrameDecoder.class);
        decoder.digests(digests);
        decoder.maxDataSegmentLength(parameters.targetMaxRecvDataSegmentLength());
        ctx.flush();
        log.info("{} logged in", session);
        log.debug("{} negotiated {}", session, parameters);
        ctx.pipeline().replace(this, "session",
                new FullFeatureHandler(portal, session, cid, request.cmdSN(), statSN));
    }

    private void sendResponse(ChannelHandlerContext ctx, LoginRequestPdu request, LoginResponseFields response,
                              int responseTsih, int maxCmdSN) {
        LoginResponsePdu pdu = new LoginResponsePdu(response.transit(), response.continueFlag(),
                response.currentStage(), response.nextStage(), response.versionMax(), response.versionActive(),
                isid, responseTsih, request.initiatorTaskTag(), statSN++, request.cmdSN(), maxCmdSN,
                response.statusClass(), response.statusDetail());
        byte[] text = response.text();
        ByteBuf data = text.length == 0 ? null : Unpooled.wrappedBuffer(text);
        ctx.write(new OutboundPdu(pdu, data), ctx.voidPromise());
    }

    /** Sends a Login Response with a failure status, then closes (RFC 7143 §11.13.5). */
    private void fail(ChannelHandlerContext ctx, int initiatorTaskTag, LoginStatus status, int expCmdSN,
                      int maxCmdSN) {
        finished = true;
        LoginResponsePdu pdu = new LoginResponsePdu(false, false, 0, 0, 0, 0, isid == null ? NO_ISID : isid, 0,
                initiatorTaskTag, statSN++, expCmdSN, maxCmdSN, status.statusClass(), status.statusDetail());
        ctx.write(new OutboundPdu(pdu), ctx.voidPromise());
        closeAfterFlush(ctx);
    }

    private void closeAfterFlush(ChannelHandlerContext ctx) {
        finished = true;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("{}: {} during login; closing", ctx.channel(), cause.toString());
        finished = true;
        ctx.close();
    }
}
