package org.storagegateway.iscsi.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.iscsi.pdu.TaskManagementRequestPdu;
import org.storagegateway.iscsi.pdu.TaskManagementResponseCode;
import org.storagegateway.iscsi.pdu.TaskManagementResponsePdu;
import org.storagegateway.scsi.ScsiTargetDevice;

/**
 * Task management functions (RFC 7143 §11.5, SAM-5 §7). Aborted tasks get no SCSI Response; a task already executing
 * finishes in the SCSI layer and its result is dropped; the function's response goes out only once every affected
 * task is done (RFC 7143 §4.2.3.3). Functions that reach beyond one session (CLEAR TASK SET, LOGICAL UNIT RESET,
 * target resets) abort the tasks of every session of the target. Runs on the connection's event loop.
 */
final class TaskManagement {
    private static final Logger log = LoggerFactory.getLogger(TaskManagement.class);

    private final FullFeatureHandler connection;
    private final PortalContext portal;
    private final IscsiSession session;
    private final ScsiTargetDevice device;

    TaskManagement(FullFeatureHandler connection, PortalContext portal, IscsiSession session) {
        this.connection = connection;
        this.portal = portal;
        this.session = session;
        this.device = session.target() == null ? null : session.target().device();
    }

    void perform(TaskManagementRequestPdu request) {
        log.debug("{}: {} lun {} rtt 0x{}", session, request.function(), request.lun(),
                Integer.toHexString(request.referencedTaskTag()));
        switch (request.function()) {
            case ABORT_TASK -> abortTask(request);
            case ABORT_TASK_SET -> withLogicalUnit(request, () -> respondWhenDone(request,
                    connection.abortLocal(lun -> lun == request.lun()), () -> { }));
            case CLEAR_TASK_SET -> withLogicalUnit(request, () -> respondWhenDone(request,
                    abortEverywhere(lun -> lun == request.lun()),
                    () -> device.taskSetCleared(session.nexus(), request.lun())));
            case LOGICAL_UNIT_RESET -> withLogicalUnit(request, () -> respondWhenDone(request,
                    abortEverywhere(lun -> lun == request.lun()),
                    () -> device.logicalUnitReset(session.nexus(), request.lun())));
            case TARGET_WARM_RESET -> respondWhenDone(request, abortEverywhere(lun -> true),
                    () -> device.targetReset(session.nexus(), false));
            case TARGET_COLD_RESET -> coldReset(request);
            // ACA is not supported (NACA=1 is refused by the SCSI layer), so CLEAR ACA has nothing to clear;
            // TASK REASSIGN needs ErrorRecoveryLevel 2 (RFC 7143 §11.5.1).
            case CLEAR_ACA, TASK_REASSIGN -> respond(request, TaskManagementResponseCode.FUNCTION_NOT_SUPPORTED);
        }
    }

    /**
     * ABORT TASK (RFC 7143 §11.5.1): a task found is aborted; a task not found whose RefCmdSN lies in the window
     * before this request's CmdSN is considered received (so it is ignored if it arrives) and the function completes;
     * otherwise the task does not exist.
     */
    private void abortTask(TaskManagementRequestPdu request) {
        IscsiTask task = connection.task(request.referencedTaskTag());
        if (task != null) {
            respondWhenDone(request, connection.abort(List.of(task)), () -> { });
            return;
        }
        CommandSequencer sequencer = connection.sequencer();
        if (sequencer.inWindow(request.refCmdSN()) && request.refCmdSN() - request.cmdSN() < 0) {
            sequencer.markReceived(request.refCmdSN());
            respond(request, TaskManagementResponseCode.FUNCTION_COMPLETE);
            return;
        }
        respond(request, TaskManagementResponseCode.TASK_DOES_NOT_EXIST);
    }

    /** TARGET COLD RESET: as warm, then every session of the target closes after the response (RFC 7143 §11.5.1). */
    private void coldReset(TaskManagementRequestPdu request) {
        respondWhenDone(request, abortEverywhere(lun -> true), () -> device.targetReset(session.nexus(), true))
                .thenRun(() -> connection.context().executor().execute(() -> {
                    for (IscsiSession other : portal.registry().sessionsOf(session.target().name())) {
                        if (other != session) {
                            other.close();
                        }
                    }
                    connection.closeConnection();
                }));
    }

    private void withLogicalUnit(TaskManagementRequestPdu request, Runnable action) {
        if (!device.hasLogicalUnit(request.lun())) {
            respond(request, TaskManagementResponseCode.LUN_DOES_NOT_EXIST);
        } else {
            action.run();
        }
    }

    /** Aborts matching tasks in this session and in every other session of the same target. */
    private CompletableFuture<Void> abortEverywhere(LongPredicate lunMatches) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        waits.add(connection.abortLocal(lunMatches));
        for (IscsiSession other : portal.registry().sessionsOf(session.target().name())) {
            if (other != session) {
                waits.add(other.abortTasks(lunMatches));
            }
        }
        return CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Once the affected tasks are done, performs the device side effect and sends "function complete"; returns a
     * future completing after the response was queued.
     */
    private CompletableFuture<Void> respondWhenDone(TaskManagementRequestPdu request, CompletableFuture<Void> done,
                                                    Runnable sideEffect) {
        CompletableFuture<Void> responded = new CompletableFuture<>();
        done.whenComplete((v, e) -> connection.context().executor().execute(() -> {
            try {
                sideEffect.run();
            } catch (RuntimeException failure) {
                log.error("{}: {} side effect failed", session, request.function(), failure);
            }
            respond(request, TaskManagementResponseCode.FUNCTION_COMPLETE);
            responded.complete(null);
        }));
        return responded;
    }

    private void respond(TaskManagementRequestPdu request, TaskManagementResponseCode code) {
        ResponseWriter writer = connection.writer();
        writer.send(new TaskManagementResponsePdu(code, request.initiatorTaskTag(), writer.takeStatSN(),
                writer.expCmdSN(), writer.maxCmdSN()));
    }
}
