package org.storagegateway.scsi.pr;

import java.util.Set;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;

/** Where the reservation state reports unit attentions for other nexuses. */
public interface ReservationEvents {

    /** Establishes a unit attention for one I_T nexus (SPC-4 §5.13.11, §5.13.12: preempted, released). */
    void unitAttention(ItNexus nexus, AdditionalSense sense);

    /**
     * PREEMPT AND ABORT (SPC-4 §5.13.11.2.5): the caller aborts every task of these I_T nexuses on this logical unit
     * except the PERSISTENT RESERVE OUT command itself, as SAM-5 §5.6 says for aborted tasks (TAS decides whether they
     * end in TASK ABORTED or vanish). Called after the reservation state changed, outside any lock. The nexuses are
     * the ones this logical unit has seen that belonged to the preempted registrations. The default aborts nothing,
     * which is right only for a logical unit that never has tasks in flight: real ones override it.
     */
    default void abortTasks(ItNexus preemptor, Set<ItNexus> nexuses) {
    }
}
