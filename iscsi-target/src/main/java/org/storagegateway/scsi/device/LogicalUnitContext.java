package org.storagegateway.scsi.device;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;

/**
 * What the SCSI layer offers a logical unit: the unit attentions it may raise on its own (SAM-5 §5.14), and the state
 * of the layer's mode pages that a device type must obey but does not own.
 */
public interface LogicalUnitContext {

    /** Establishes a unit attention for every I_T nexus (capacity changed, medium may have changed, say). */
    void establishUnitAttention(AdditionalSense sense);

    /** Establishes a unit attention for every I_T nexus but one (the one whose command caused it). */
    void establishUnitAttentionExcept(ItNexus cause, AdditionalSense sense);

    /**
     * Whether the control mode page's SWP bit is set now (SPC-4 §7.5.8): the unit must then refuse every command that
     * writes its medium. Always false for a unit that does not {@link LogicalUnit#supportsSoftwareWriteProtect()
     * support} it.
     */
    boolean softwareWriteProtected();
}
