package org.storagegateway.scsi.spc;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.ScsiTask;
import org.storagegateway.scsi.pr.Reservations;
import org.storagegateway.scsi.ua.UnitAttentions;

/**
 * The SCSI layer's state that the shared SPC commands work on, handed to them through
 * {@link ScsiTask#layerContext()}. For a LUN with no logical unit only {@code luns} is set: the commands that run
 * there (INQUIRY, REPORT LUNS, REQUEST SENSE; SPC-4 §4.6.2) need nothing else.
 *
 * @param unit         the logical unit, or null for a LUN that has none
 * @param attentions   its unit attentions, or null
 * @param reservations its reservations, or null
 * @param control      its control mode page, or null
 * @param luns         the target's LUN numbers in ascending order, for REPORT LUNS
 */
public record SpcContext(LogicalUnit unit, UnitAttentions attentions, Reservations reservations,
                         ControlModePage control, Supplier<List<Long>> luns) {
    public SpcContext {
        Objects.requireNonNull(luns, "luns");
        if (unit != null && (attentions == null || reservations == null || control == null)) {
            throw new IllegalArgumentException("a logical unit needs its unit attentions, reservations and control page");
        }
    }

    /** The context of a LUN with no logical unit. */
    public static SpcContext absent(Supplier<List<Long>> luns) {
        return new SpcContext(null, null, null, null, luns);
    }

    /** The context the dispatcher put on this task. */
    public static SpcContext of(ScsiTask task) {
        if (task.layerContext() instanceof SpcContext context) {
            return context;
        }
        throw new IllegalStateException("an SPC command ran without the SCSI layer's context");
    }

    /** The context of a task known to address an existing logical unit. */
    static SpcContext present(ScsiTask task) {
        SpcContext context = of(task);
        if (context.unit() == null) {
            throw new IllegalStateException("command needs a logical unit but ran on LUN " + task.lun());
        }
        return context;
    }
}
