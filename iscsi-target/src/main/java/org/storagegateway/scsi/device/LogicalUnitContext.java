package org.storagegateway.scsi.device;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;

/** What the SCSI layer offers a logical unit: the unit attentions it may raise on its own (SAM-5 §5.14). */
public interface LogicalUnitContext {

    /** Establishes a unit attention for every I_T nexus (capacity changed, medium may have changed, say). */
    void establishUnitAttention(AdditionalSense sense);

    /** Establishes a unit attention for every I_T nexus but one (the one whose command caused it). */
    void establishUnitAttentionExcept(ItNexus cause, AdditionalSense sense);
}
