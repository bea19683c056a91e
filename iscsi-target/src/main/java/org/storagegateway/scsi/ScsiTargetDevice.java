package org.storagegateway.scsi;

/**
 * The SCSI target device as a transport sees it: a set of logical units behind one or more target ports. The
 * transport reports nexus changes and task management; everything else arrives as commands.
 *
 * <p>All methods are thread-safe. {@link #execute} may block on storage unless {@link #mayBlock} says otherwise.
 */
public interface ScsiTargetDevice {

    /** An I_T nexus came into being (a login); establishes its power-on unit attention. */
    void nexusAdded(ItNexus nexus);

    /** An I_T nexus is gone (logout, connection loss, session reinstatement). */
    void nexusRemoved(ItNexus nexus);

    /** Runs one command to completion. Never throws for anything an initiator can send. */
    ScsiResult execute(ScsiCommand command);

    /** Whether commands for this LUN may block on storage, so the transport must not run them on an I/O thread. */
    boolean mayBlock(long lun);

    /** Whether a logical unit answers at this LUN (for task management responses). */
    boolean hasLogicalUnit(long lun);

    /** LOGICAL UNIT RESET side effects (SAM-5 §7.7): unit attentions, release of RESERVE(6) reservations. */
    void logicalUnitReset(ItNexus requester, long lun);

    /** TARGET WARM/COLD RESET side effects (RFC 7143 §11.5.1): a reset of every logical unit. */
    void targetReset(ItNexus requester, boolean cold);

    /** CLEAR TASK SET by {@code requester}: other nexuses learn that their commands were cleared (SAM-5 §7.4). */
    void taskSetCleared(ItNexus requester, long lun);
}
