package org.storagegateway.scsi;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.LogicalUnitContext;
import org.storagegateway.scsi.pr.ReservationEvents;
import org.storagegateway.scsi.pr.Reservations;
import org.storagegateway.scsi.spc.ControlModePage;
import org.storagegateway.scsi.spc.SpcContext;
import org.storagegateway.scsi.ua.UnitAttentions;

/**
 * One logical unit at its LUN, with the state the SCSI layer keeps for it. It is also the unit's
 * {@link LogicalUnitContext}: unit attentions go to the unit's queues, and SWP is read from the control mode page the
 * layer owns, so device packages never see the {@code spc} package.
 */
final class LogicalUnitSlot implements LogicalUnitContext {
    private final long lun;
    private final LogicalUnit unit;
    private final UnitAttentions attentions = new UnitAttentions();
    private final Reservations reservations;
    private final ControlModePage control;
    private final SpcContext context;

    /** {@code aborter} may be null: then PREEMPT AND ABORT aborts nothing and acts as PREEMPT. */
    LogicalUnitSlot(long lun, LogicalUnit unit, Supplier<List<Long>> luns, ScsiTarget.TaskAborter aborter) {
        this.lun = lun;
        this.unit = unit;
        this.control = new ControlModePage(unit.supportsSoftwareWriteProtect());
        this.reservations = new Reservations(new ReservationEvents() {
            @Override
            public void unitAttention(ItNexus nexus, AdditionalSense sense) {
                attentions.establish(nexus, sense);
            }

            // PREEMPT AND ABORT (SPC-4 §5.13.11.2.5): the transport aborts the tasks; with TAS 0 they end without
            // status, so their nexuses learn of it through COMMANDS CLEARED BY ANOTHER INITIATOR (SAM-5 §5.6).
            @Override
            public void abortTasks(ItNexus preemptor, Set<ItNexus> nexuses) {
                if (aborter == null) {
                    return;
                }
                aborter.abortTasks(lun, preemptor, nexuses);
                for (ItNexus nexus : nexuses) {
                    if (!nexus.equals(preemptor)) {
                        attentions.establish(nexus, AdditionalSense.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR);
                    }
                }
            }
        });
        this.context = new SpcContext(unit, attentions, reservations, control, luns);
    }

    long lun() {
        return lun;
    }

    LogicalUnit unit() {
        return unit;
    }

    UnitAttentions attentions() {
        return attentions;
    }

    Reservations reservations() {
        return reservations;
    }

    ControlModePage control() {
        return control;
    }

    SpcContext context() {
        return context;
    }

    @Override
    public void establishUnitAttention(AdditionalSense sense) {
        attentions.establishUnitAttention(sense);
    }

    @Override
    public void establishUnitAttentionExcept(ItNexus cause, AdditionalSense sense) {
        attentions.establishUnitAttentionExcept(cause, sense);
    }

    @Override
    public boolean softwareWriteProtected() {
        return control.softwareWriteProtect();
    }
}
