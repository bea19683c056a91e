package org.storagegateway.iscsi.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import org.storagegateway.iscsi.login.SessionParameters;
import org.storagegateway.iscsi.login.SessionType;
import org.storagegateway.iscsi.pdu.IsidFormat;
import org.storagegateway.iscsi.target.TargetDefinition;
import org.storagegateway.scsi.ItNexus;

/**
 * One iSCSI session (RFC 7143 §4.4): its identity, negotiated parameters and I_T nexus, and its single connection
 * (MaxConnections is 1: no MC/S). State that changes per command lives in the connection's handler, on its event
 * loop; this object is what other threads (other sessions' task management, reinstatement, shutdown) talk to.
 */
public final class IscsiSession {
    private final int tsih;
    private final byte[] isid;
    private final String initiatorName;
    private final SessionType type;
    private final TargetDefinition target;
    private final ItNexus nexus;
    private final SessionParameters parameters;
    private final SessionRegistry.SessionKey key;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile SessionConnection connection;

    IscsiSession(int tsih, byte[] isid, String initiatorName, SessionType type, TargetDefinition target,
                 int portalGroupTag, SessionParameters parameters) {
        this.tsih = tsih;
        this.isid = isid.clone();
        this.initiatorName = initiatorName;
        this.type = type;
        this.target = target;
        this.parameters = parameters;
        this.key = SessionRegistry.SessionKey.of(initiatorName, IsidFormat.hex(isid),
                target == null ? null : target.name());
        // RFC 7143 §4.4.2 (SCSI port names): <name>,i,0x<ISID> and <name>,t,0x<TPGT>.
        this.nexus = target == null ? null
                : new ItNexus(initiatorName, initiatorName + ",i,0x" + IsidFormat.hex(isid),
                        target.name() + ",t,0x" + String.format("%04x", portalGroupTag), portalGroupTag);
    }

    public int tsih() {
        return tsih;
    }

    public byte[] isid() {
        return isid.clone();
    }

    public String initiatorName() {
        return initiatorName;
    }

    public SessionType type() {
        return type;
    }

    /** The target, or null for a discovery session. */
    public TargetDefinition target() {
        return target;
    }

    /** The I_T nexus, or null for a discovery session. */
    public ItNexus nexus() {
        return nexus;
    }

    public SessionParameters parameters() {
        return parameters;
    }

    SessionRegistry.SessionKey key() {
        return key;
    }

    void attach(SessionConnection connection) {
        this.connection = connection;
    }

    /**
     * Aborts this session's tasks whose LUN matches; completes once none of them is still executing. Aborted tasks
     * get no response (SAM-5 §5.6, TAS=0).
     */
    public CompletableFuture<Void> abortTasks(LongPredicate lunMatches) {
        SessionConnection current = connection;
        return current == null ? CompletableFuture.completedFuture(null) : current.abortTasks(lunMatches);
    }

    /** Closes the connection, aborting all tasks; completes when the session has ended. */
    public CompletableFuture<Void> close() {
        SessionConnection current = connection;
        return current == null ? CompletableFuture.completedFuture(null) : current.closeSession();
    }

    /** Lets the tasks in flight finish without taking new requests, then closes; completes when ended. */
    public CompletableFuture<Void> drainAndClose() {
        SessionConnection current = connection;
        return current == null ? CompletableFuture.completedFuture(null) : current.drainAndClose();
    }

    /** Marks the session ended once; returns whether this call did it. */
    boolean markEnded() {
        return ended.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return String.format("Session[tsih=%d %s isid=%s target=%s]", tsih, initiatorName, IsidFormat.hex(isid),
                target == null ? "(discovery)" : target.name());
    }
}
