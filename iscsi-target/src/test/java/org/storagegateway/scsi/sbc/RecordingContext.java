package org.storagegateway.scsi.sbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.device.LogicalUnitContext;

/** A logical unit context standing in for the SCSI layer: it records the unit attentions raised and holds SWP. */
final class RecordingContext implements LogicalUnitContext {
    final List<AdditionalSense> raised = new CopyOnWriteArrayList<>();
    volatile boolean softwareWriteProtect;

    @Override
    public void establishUnitAttention(AdditionalSense sense) {
        raised.add(sense);
    }

    @Override
    public void establishUnitAttentionExcept(ItNexus cause, AdditionalSense sense) {
        raised.add(sense);
    }

    @Override
    public boolean softwareWriteProtected() {
        return softwareWriteProtect;
    }
}
