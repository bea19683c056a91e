package org.storagegateway.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.iscsi.codec.FramingException;
import org.storagegateway.iscsi.codec.IscsiFrame;
import org.storagegateway.iscsi.login.FullFeatureText;
import org.storagegateway.iscsi.login.SessionParameters;
import org.storagegateway.iscsi.login.SessionType;
import org.storagegateway.iscsi.pdu.AsyncMessagePdu;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.DataOutPdu;
import org.storagegateway.iscsi.pdu.InvalidPduException;
import org.storagegateway.iscsi.pdu.LogoutReason;
import org.storagegateway.iscsi.pdu.LogoutRequestPdu;
import org.storagegateway.iscsi.pdu.LogoutResponseCode;
import org.storagegateway.iscsi.pdu.LogoutResponsePdu;
import org.storagegateway.iscsi.pdu.NopInPdu;
import org.storagegateway.iscsi.pdu.NopOutPdu;
import org.storagegateway.iscsi.pdu.Pdu;
import org.storagegateway.iscsi.pdu.R2tPdu;
import org.storagegateway.iscsi.pdu.RejectPdu;
import org.storagegateway.iscsi.pdu.RejectReason;
import org.storagegateway.iscsi.pdu.ScsiCommandPdu;
import org.storagegateway.iscsi.pdu.TaskManagementRequestPdu;
import org.storagegateway.iscsi.pdu.TextRequestPdu;
import org.storagegateway.iscsi.pdu.TextResponsePdu;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.ScsiTargetDevice;

/**
 * A connection in full feature phase (RFC 7143 §4.2): orders requests by CmdSN, runs SCSI tasks (on the event loop
 * when the logical unit never blocks, else on the portal's executor, answering on the event loop), collects write
 * data, answers NOP-Out, Text and Logout, rejects what it cannot accept, and hands task management to
 * {@link TaskManagement}. All state is confined to the channel's event loop; other threads come in through
 * {@link SessionConnection}.
 */
final class FullFeatureHandler extends ChannelInboundHandlerAdapter implements SessionConnection {
    private static final Logger log = LoggerFactory.getLogger(FullFeatureHandler.class);

    /** The CmdSN window (RFC 7143 §4.2.2.1): how many non-immediate requests may be outstanding. */
    static final int COMMAND_WINDOW = 128;
    /** Immediate commands bypass the window; cap them so an initiator cannot queue without bound. */
    static final int IMMEDIATE_COMMAND_LIMIT = 64;

    private final PortalContext portal;
    private final IscsiSession session;
    private final SessionParameters parameters;
    private final ScsiTargetDevice device;
    private final int connectionId;
    private final CommandSequencer sequencer;
    private final int firstStatSN;
    private final Map<Integer, IscsiTask> tasks = new HashMap<>();
    private final WriteBudget<IscsiTask> writeBudget;
    /** How long a shutting-down portal waits for initiators to log out when asked to. */
    static final Duration LOGOUT_GRACE = Duration.ofSeconds(2);

    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private ResponseWriter writer;
    private KeepAlive keepAlive;
    private TextExchange text;
    private TaskManagement taskManagement;
    private int immediateTasks;
    private int nextTargetTransferTag = 1;
    private boolean closing;
    private boolean loggingOut;

    FullFeatureHandler(PortalContext portal, IscsiSession session, int connectionId, int firstCmdSN,
                       int firstStatSN) {
        this.portal = portal;
        this.session = session;
        this.parameters = session.parameters();
        this.device = session.target() == null ? null : session.target().device();
        this.connectionId = connectionId;
        this.sequencer = new CommandSequencer(firstCmdSN, COMMAND_WINDOW);
        this.firstStatSN = firstStatSN;
        this.writeBudget = new WriteBudget<>(portal.writeBudget(), this::budgetGranted);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.writer = new ResponseWriter(ctx, sequencer, firstStatSN);
        this.keepAlive = new KeepAlive(ctx.executor(), portal.nopInterval(), portal.nopTimeout(), this::ping,
                () -> {
                    log.info("{}: no answer to NOP-In within {}, closing", session, portal.nopTimeout());
                    closeConnection();
                });
        FullFeatureText answers = new FullFeatureText(portal.catalog(),
                portal.advertisedTo(ctx.channel().localAddress()));
        this.text = new TextExchange(request -> answers.respond(request, session.type(), session.initiatorName(),
                session.target()));
        this.taskManagement = new TaskManagement(this, portal, session);
        session.attach(this);
        keepAlive.start();
    }

    // ---- inbound ------------------------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof IscsiFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        writer.beginReads();
        try {
            if (!closing) {
                handle(frame);
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        writer.endOfReads();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Back-pressure: stop taking new commands while responses pile up unsent.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && !loggingOut);
        ctx.fireChannelWritabilityChanged();
    }

    private void handle(IscsiFrame frame) {
        keepAlive.activity();
        if (!frame.dataDigestValid()) {
            // RFC 7143 §7.8 (ERL 0): reject the PDU with "data digest error", then drop the connection.
            reject(RejectReason.DATA_DIGEST_ERROR, frame);
            closeConnection();
            return;
        }
        Pdu pdu;
        try {
            pdu = frame.pdu();
        } catch (InvalidPduException e) {
            log.debug("{}: rejecting PDU: {}", session, e.getMessage());
            reject(e.reason(), frame);
            return;
        }
        try {
            dispatch(pdu, frame);
        } catch (InvalidPduException e) {
            log.debug("{}: rejecting {}: {}", session, pdu.opcode(), e.getMessage());
            reject(e.reason(), frame);
        }
    }

    private void dispatch(Pdu pdu, IscsiFrame frame) {
        if (loggingOut) {
            reject(RejectReason.WAITING_FOR_LOGOUT, frame);
            return;
        }
        switch (pdu.opcode()) {
            case SCSI_COMMAND -> onCommand((ScsiCommandPdu) pdu, frame);
            case SCSI_DATA_OUT -> onDataOut((DataOutPdu) pdu, frame);
            case NOP_OUT -> onNopOut((NopOutPdu) pdu, frame);
            case TASK_MANAGEMENT_REQUEST -> onTaskManagement((TaskManagementRequestPdu) pdu, frame);
            case TEXT_REQUEST -> onText((TextRequestPdu) pdu, frame);
            case LOGOUT_REQUEST -> onLogout((LogoutRequestPdu) pdu);
            // SNACK needs ERL > 0 (RFC 7143 §11.16); a second login on a logged-in connection is a protocol error.
            default -> reject(RejectReason.PROTOCOL_ERROR, frame);
        }
    }

    /**
     * Runs a non-task request in CmdSN order (or at once when immediate); requests outside the window are ignored
     * silently (RFC 7143 §4.2.2.1).
     */
    private boolean inOrder(boolean immediate, int cmdSN, Runnable action) {
        if (immediate) {
            action.run();
            return true;
        }
        return sequencer.submit(cmdSN, () -> {
            sequencer.slotFreed();
            action.run();
        });
    }

    // ---- SCSI commands and data ---------------------------------------------------------------------------------

    private void onCommand(ScsiCommandPdu pdu, IscsiFrame frame) {
        if (session.type() == SessionType.DISCOVERY) {
            // RFC 7143 §4.3: a discovery session carries Text and Logout only.
            throw new InvalidPduException(RejectReason.PROTOCOL_ERROR, "SCSI command in a discovery session");
        }
        if (!pdu.immediate() && !sequencer.inWindow(pdu.cmdSN())) {
            log.debug("{}: ignoring CmdSN {} outside [{}, {}]", session, pdu.cmdSN(), sequencer.expCmdSN(),
                    sequencer.maxCmdSN());
            return;
        }
        if (tasks.containsKey(pdu.initiatorTaskTag())) {
            throw new InvalidPduException(RejectReason.TASK_IN_PROGRESS, "ITT already in use");
        }
        if (pdu.immediate() && immediateTasks >= IMMEDIATE_COMMAND_LIMIT) {
            throw new InvalidPduException(RejectReason.IMMEDIATE_COMMAND_REJECT, "too many immediate commands");
        }
        if (frame.dataLength() > 0 && !parameters.immediateData()) {
            throw new InvalidPduException(RejectReason.PROTOCOL_ERROR, "immediate data with ImmediateData=No");
        }
        if (!pdu.finalFlag() && parameters.initialR2T()) {
            throw new InvalidPduException(RejectReason.PROTOCOL_ERROR, "unsolicited data with InitialR2T=Yes");
        }
        byte[] cdb = pdu.fullCdb(frame.ahs());
        ScsiResult early = pdu.expectedDataTransferLength() > portal.maxTransferLength()
                ? TransportSense.transferTooLarge(pdu.expectedDataTransferLength()) : null;
        IscsiTask task = new IscsiTask(pdu, cdb, frame.dataLength() > 0 ? frame.retainedData() : null, early,
                parameters.firstBurstLength(), ctx.alloc());
        tasks.put(pdu.initiatorTaskTag(), task);
        if (pdu.immediate()) {
            immediateTasks++;
            task.markOrdered();
            progress(task);
        } else if (!sequencer.submit(pdu.cmdSN(), () -> {
            task.markOrdered();
            progress(task);
        })) {
            // A CmdSN already received (e.g. marked received by ABORT TASK): drop the duplicate silently.
            tasks.remove(pdu.initiatorTaskTag());
            task.finish();
        }
    }

    private void onDataOut(DataOutPdu pdu, IscsiFrame frame) {
        IscsiTask task = tasks.get(pdu.initiatorTaskTag());
        if (task == null || task.state() != IscsiTask.State.RECEIVING) {
            throw new InvalidPduException(RejectReason.INVALID_PDU_FIELD,
                    String.format("Data-Out for no task awaiting data (ITT 0x%08x)", pdu.initiatorTaskTag()));
        }
        try {
            task.acceptDataOut(pdu, frame.data());
        } catch (InvalidPduException e) {
            if (task.ordered()) {
                // The framing is intact; only this task's data sequence is broken, which ERL 0 cannot repair
                // (RFC 7143 §7). The task ends in CHECK CONDITION and the session carries on; later Data-Out
                // for it is rejected as for any unknown task.
                log.info("{}: {}; ending the task", session, e.getMessage());
                complete(task, TransportSense.checkCondition(SenseKey.ABORTED_COMMAND,
                        AdditionalSense.DATA_PHASE_ERROR, task.command().expectedDataTransferLength()));
                return;
            }
            // A task still waiting for its CmdSN holds a window slot the sequencer will hand it later: failing it
            // now would free the slot twice, so this rare case ends the connection (ERL 0 session recovery).
            log.info("{}: {}; closing", session, e.getMessage());
            reject(e.reason(), frame);
            closeConnection();
            return;
        }
        progress(task);
    }

    /**
     * Moves a task on: solicits the data it still misses once it holds its write budget share, and runs it once it
     * is in order and complete. A task asks for its share when it gets its turn in CmdSN order, so shares go out in
     * that order.
     */
    private void progress(IscsiTask task) {
        if (task.state() != IscsiTask.State.RECEIVING || task.aborted()) {
            return;
        }
        if (task.ordered() && task.needsBudget()) {
            task.budget(writeBudget.request(task, task.budgetShare()));
        }
        while (task.wantsR2t(parameters.maxOutstandingR2T())) {
            IscsiTask.R2tRegion region = task.nextR2t(newTargetTransferTag(), parameters.maxOutstandingR2T(),
                    parameters.maxBurstLength());
            writer.send(new R2tPdu(task.lun(), task.initiatorTaskTag(), region.targetTransferTag(), writer.statSN(),
                    sequencer.expCmdSN(), sequencer.maxCmdSN(), region.r2tSN(), region.offset(), region.length()));
        }
        if (task.readyToRun()) {
            execute(task);
        }
    }

    /** A task waiting in line for write budget got its share, because an earlier one finished. */
    private void budgetGranted(IscsiTask task) {
        task.budget(true);
        if (!closing) {
            progress(task);
        }
    }

    private void execute(IscsiTask task) {
        if (task.earlyResult() != null) {
            complete(task, task.earlyResult());
            return;
        }
        ScsiCommand command = task.toScsiCommand(session.nexus());
        if (!device.mayBlock(task.lun())) {
            complete(task, run(command));
            return;
        }
        try {
            portal.commandExecutor().execute(() -> {
                ScsiResult result = run(command);
                ctx.executor().execute(() -> complete(task, result));
            });
        } catch (RejectedExecutionException e) {
            complete(task, TransportSense.status(ScsiStatus.BUSY, task.command().expectedDataTransferLength()));
        }
    }

    private ScsiResult run(ScsiCommand command) {
        try {
            return device.execute(command);
        } catch (RuntimeException e) {
            // The SCSI layer promises never to throw; if it does, answer "target failure" rather than hang.
            log.error("SCSI layer failed on {}", command, e);
            return null;
        }
    }

    /** A task ended: free its resources and slot, then answer unless it was aborted. */
    private void complete(IscsiTask task, ScsiResult result) {
        retire(task);
        boolean answer = !task.aborted() && !closing;
        DataInBuffers buffers = task.dataInBuffers();
        if (buffers != null && !(answer && result != null && result.dataIn() != null)) {
            // Nothing will send what the buffers hold (a failed command leaves no data-in): back to the pool now.
            buffers.release();
            buffers = null;
        }
        if (!answer) {
            return;
        }
        if (result == null) {
            writer.sendTargetFailure(task.initiatorTaskTag());
            return;
        }
        writer.sendResult(task.lun(), task.initiatorTaskTag(),
                (int) Math.min(task.command().expectedDataTransferLength(), Integer.MAX_VALUE), result,
                task.r2tCount(), parameters.initiatorMaxRecvDataSegmentLength(), parameters.maxBurstLength(),
                buffers);
    }

    private void retire(IscsiTask task) {
        if (!task.markRetired()) {
            return;
        }
        tasks.remove(task.initiatorTaskTag(), task);
        task.finish();
        if (task.immediate()) {
            immediateTasks--;
        } else {
            sequencer.slotFreed();
        }
        // Last: a task granted the share now sends R2Ts, which should carry the MaxCmdSN just advanced.
        writeBudget.release(task);
    }

    // ---- task management support --------------------------------------------------------------------------------

    /** The task with this ITT, or null. */
    IscsiTask task(int initiatorTaskTag) {
        return tasks.get(initiatorTaskTag);
    }

    CommandSequencer sequencer() {
        return sequencer;
    }

    ResponseWriter writer() {
        return writer;
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    /** Aborts the given tasks now; completes when none of them is executing. */
    CompletableFuture<Void> abort(List<IscsiTask> victims) {
        List<CompletableFuture<Void>> executing = new ArrayList<>();
        List<IscsiTask> receiving = new ArrayList<>();
        // Mark every victim aborted before retiring any: a retired one's write budget share must not go to a task
        // about to be aborted as well (it would be sent R2Ts for nothing).
        for (IscsiTask task : victims) {
            if (task.abort()) {
                executing.add(task.whenFinished());
            } else {
                receiving.add(task);
            }
        }
        receiving.forEach(this::retire);
        return CompletableFuture.allOf(executing.toArray(new CompletableFuture<?>[0]));
    }

    /** Aborts this connection's tasks on matching LUNs (on the event loop). */
    CompletableFuture<Void> abortLocal(LongPredicate lunMatches) {
        List<IscsiTask> victims = new ArrayList<>();
        for (IscsiTask task : tasks.values()) {
            if (lunMatches.test(task.lun())) {
                victims.add(task);
            }
        }
        return abort(victims);
    }

    @Override
    public CompletableFuture<Void> abortTasks(LongPredicate lunMatches) {
        return CompletableFuture.supplyAsync(() -> abortLocal(lunMatches), ctx.executor())
                .thenCompose(done -> done);
    }

    @Override
    public CompletableFuture<Void> closeSession() {
        ctx.executor().execute(this::closeConnection);
        return ended;
    }

    @Override
    public CompletableFuture<Void> drainAndClose() {
        ctx.executor().execute(() -> {
            // RFC 7143 §11.9.1: ask the initiator to log out, so it ends the session cleanly rather than meeting a
            // dead connection; reads go on meanwhile so its Logout Request arrives. Whatever it does, after the
            // grace period no new request is read and the connection closes once tasks in flight are done.
            writer.send(new AsyncMessagePdu(0, writer.takeStatSN(), sequencer.expCmdSN(), sequencer.maxCmdSN(),
                    AsyncMessagePdu.EVENT_LOGOUT_REQUESTED, 0, 0, 0, (int) LOGOUT_GRACE.toSeconds()));
            ctx.executor().schedule(this::stopReadingAndClose, LOGOUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        });
        return ended;
    }

    private void stopReadingAndClose() {
        if (ended.isDone()) {
            return;
        }
        ctx.channel().config().setAutoRead(false);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (IscsiTask task : tasks.values()) {
            running.add(task.whenFinished());
        }
        CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0]))
                .whenComplete((v, e) -> ctx.executor().execute(this::closeConnection));
    }

    // ---- NOP, Text, Logout, Task management --------------------------------------------------------------------

    private void onNopOut(NopOutPdu pdu, IscsiFrame frame) {
        if (pdu.targetTransferTag() != Bhs.NO_TAG) {
            keepAlive.answered(pdu.targetTransferTag());
        }
        if (!pdu.wantsAnswer()) {
            return;
        }
        // RFC 7143 §11.19.2: echo the ping's data, as much as the initiator accepts in one PDU.
        int echoLength = Math.min(frame.dataLength(), parameters.initiatorMaxRecvDataSegmentLength());
        ByteBuf echo = echoLength == 0 ? null : frame.data().retainedSlice(0, echoLength);
        boolean accepted = inOrder(pdu.immediate(), pdu.cmdSN(), () -> writer.send(new NopInPdu(pdu.lun(),
                pdu.initiatorTaskTag(), Bhs.NO_TAG, writer.takeStatSN(), sequencer.expCmdSN(), sequencer.maxCmdSN()),
                echo));
        if (!accepted && echo != null) {
            echo.release();   // outside the CmdSN window: ignored (RFC 7143 §4.2.2.1)
        }
    }

    private void ping(int targetTransferTag) {
        // RFC 7143 §11.19: a target ping carries ITT 0xFFFFFFFF and does not advance StatSN.
        writer.send(new NopInPdu(0, Bhs.NO_TAG, targetTransferTag, writer.statSN(), sequencer.expCmdSN(),
                sequencer.maxCmdSN()));
    }

    private void onText(TextRequestPdu pdu, IscsiFrame frame) {
        // Copy the (small) text now: ordering may defer the answer past this frame's life.
        ByteBuf copy = Unpooled.copiedBuffer(frame.data());
        inOrder(pdu.immediate(), pdu.cmdSN(), () -> {
            try {
                TextExchange.Reply reply = text.accept(pdu, copy, parameters.initiatorMaxRecvDataSegmentLength(),
                        newTargetTransferTag());
                writer.send(new TextResponsePdu(reply.finalFlag(), reply.continueFlag(), pdu.lun(),
                        pdu.initiatorTaskTag(), reply.targetTransferTag(), writer.takeStatSN(),
                        sequencer.expCmdSN(), sequencer.maxCmdSN()), reply.data());
            } catch (InvalidPduException e) {
                rejectHeader(e.reason(), pdu);
            }
        });
    }

    private void onLogout(LogoutRequestPdu pdu) {
        inOrder(pdu.immediate(), pdu.cmdSN(), () -> {
            LogoutResponseCode response;
            if (pdu.reason() == LogoutReason.REMOVE_CONNECTION_FOR_RECOVERY) {
                response = LogoutResponseCode.RECOVERY_NOT_SUPPORTED;   // RFC 7143 §11.15.1, ERL 0
            } else if (pdu.reason() == LogoutReason.CLOSE_CONNECTION && pdu.cid() != connectionId) {
                response = LogoutResponseCode.CID_NOT_FOUND;
            } else {
                logout(pdu);
                return;
            }
            writer.send(new LogoutResponsePdu(response, pdu.initiatorTaskTag(), writer.takeStatSN(),
                    sequencer.expCmdSN(), sequencer.maxCmdSN(), 0, 0));
        });
    }

    /**
     * Closes the session (MaxConnections is 1, so closing the connection closes it too): tasks still open are
     * aborted, the response goes out once none is executing, then the connection closes (RFC 7143 §11.14).
     */
    private void logout(LogoutRequestPdu pdu) {
        loggingOut = true;
        ctx.channel().config().setAutoRead(false);
        abortLocal(lun -> true).whenComplete((v, e) -> ctx.executor().execute(() -> {
            writer.send(new LogoutResponsePdu(LogoutResponseCode.CLOSED_SUCCESSFULLY, pdu.initiatorTaskTag(),
                    writer.takeStatSN(), sequencer.expCmdSN(), sequencer.maxCmdSN(), 0, 0));
            closeConnection();
        }));
    }

    private void onTaskManagement(TaskManagementRequestPdu pdu, IscsiFrame frame) {
        if (session.type() == SessionType.DISCOVERY) {
            throw new InvalidPduException(RejectReason.PROTOCOL_ERROR, "task management in a discovery session");
        }
        inOrder(pdu.immediate(), pdu.cmdSN(), () -> taskManagement.perform(pdu));
    }

    // ---- errors and teardown ------------------------------------------------------------------------------------

    private int newTargetTransferTag() {
        int tag = nextTargetTransferTag;
        nextTargetTransferTag = tag == 0x7FFFFFFF ? 1 : tag + 1;
        return tag;
    }

    /** Sends a Reject carrying the offending header (RFC 7143 §11.17). */
    private void reject(RejectReason reason, IscsiFrame frame) {
        writer.send(new RejectPdu(reason, writer.takeStatSN(), sequencer.expCmdSN(), sequencer.maxCmdSN(), 0),
                Unpooled.copiedBuffer(frame.bhs()));
    }

    private void rejectHeader(RejectReason reason, Pdu pdu) {
        ByteBuf header = Unpooled.buffer(Bhs.LENGTH);
        pdu.write(header, 0);
        writer.send(new RejectPdu(reason, writer.takeStatSN(), sequencer.expCmdSN(), sequencer.maxCmdSN(), 0),
                header);
    }

    /** Flushes what is queued and closes; results of tasks still executing are dropped. */
    void closeConnection() {
        if (closing) {
            return;
        }
        closing = true;
        writer.flushNow();
        ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        keepAlive.stop();
        text.reset();
        abortLocal(lun -> true).whenComplete((v, e) -> ctx.executor().execute(this::endSession));
        ctx.fireChannelInactive();
    }

    private void endSession() {
        portal.registry().remove(session);
        if (session.markEnded() && device != null) {
            device.nexusRemoved(session.nexus());
        }
        log.debug("{} ended", session);
        ended.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FramingException framing) {
            // RFC 7143 §7.8: a header digest error or an oversized segment leaves the stream unframed.
            log.info("{}: {}; closing", session, framing.getMessage());
        } else {
            log.warn("{}: unexpected error; closing", session, cause);
        }
        closeConnection();
    }
}
