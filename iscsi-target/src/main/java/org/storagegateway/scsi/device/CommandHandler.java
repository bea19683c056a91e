package org.storagegateway.scsi.device;

/**
 * Carries out one command for a logical unit of type {@code U}. A handler reads the CDB and data-out from the task,
 * hands data-in back to it, and fails by throwing {@link org.storagegateway.scsi.CheckCondition} or
 * {@link org.storagegateway.scsi.ReservationConflict}. The checks every command shares (LUN, unit attention,
 * reservation conflict) are done before a handler runs; handlers never repeat them.
 */
@FunctionalInterface
public interface CommandHandler<U extends LogicalUnit> {
    void handle(U unit, ScsiTask task);
}
