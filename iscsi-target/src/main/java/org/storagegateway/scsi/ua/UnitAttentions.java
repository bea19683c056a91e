package org.storagegateway.scsi.ua;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;

/**
 * The unit attention conditions of one logical unit, one queue per I_T nexus (SAM-5 §5.14); a device raises its own
 * conditions here through its {@link org.storagegateway.scsi.device.LogicalUnitContext}. Thread-safe.
 *
 * <p>A nexus seen for the first time starts with POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29h/00h): for that
 * initiator port the logical unit has just come into being, and 29h/00h is the code initiators expect right after
 * login (tgt uses it; libiscsi tolerates only it in places). A nexus that was lost and comes back starts with I_T
 * NEXUS LOSS OCCURRED (29h/07h), as SAM-5 §6.3.4 asks; the logical unit remembers a bounded number of lost nexuses.
 */
public final class UnitAttentions {
    /** Enough for every distinct condition this target raises; more would only repeat them. */
    public static final int QUEUE_CAPACITY = 8;
    private static final int REMEMBERED_LOST_NEXUSES = 1024;

    private final Map<ItNexus, UnitAttentionQueue> active = new HashMap<>();
    private final Map<ItNexus, Boolean> lost = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ItNexus, Boolean> eldest) {
            return size() > REMEMBERED_LOST_NEXUSES;
        }
    };

    /** An I_T nexus came into being: it gets 29h/00h, or I_T NEXUS LOSS OCCURRED if it was lost before. */
    public synchronized void nexusAdded(ItNexus nexus) {
        Objects.requireNonNull(nexus, "nexus");
        if (active.containsKey(nexus)) {
            return;
        }
        UnitAttentionQueue queue = new UnitAttentionQueue(QUEUE_CAPACITY);
        queue.add(lost.remove(nexus) != null ? AdditionalSense.I_T_NEXUS_LOSS_OCCURRED
                : AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
        active.put(nexus, queue);
    }

    /** An I_T nexus is gone; its pending conditions go with it (SAM-5 §6.3.4). */
    public synchronized void nexusRemoved(ItNexus nexus) {
        if (active.remove(nexus) != null) {
            lost.put(nexus, Boolean.TRUE);
        }
    }

    /** Establishes a condition for one nexus (registering the nexus first if it is new). */
    public synchronized void establish(ItNexus nexus, AdditionalSense sense) {
        Objects.requireNonNull(sense, "sense");
        queueOf(nexus).add(sense);
    }

    /** Establishes a condition for every I_T nexus (capacity changed, medium may have changed, say). */
    public synchronized void establishUnitAttention(AdditionalSense sense) {
        Objects.requireNonNull(sense, "sense");
        for (UnitAttentionQueue queue : active.values()) {
            queue.add(sense);
        }
    }

    /** Establishes a condition for every I_T nexus but {@code cause} (the one whose command caused it). */
    public synchronized void establishUnitAttentionExcept(ItNexus cause, AdditionalSense sense) {
        Objects.requireNonNull(sense, "sense");
        for (Map.Entry<ItNexus, UnitAttentionQueue> entry : active.entrySet()) {
            if (!entry.getKey().equals(cause)) {
                entry.getValue().add(sense);
            }
        }
    }

    /** Removes and returns the oldest pending condition of this nexus, or null when none is pending. */
    public synchronized AdditionalSense take(ItNexus nexus) {
        return queueOf(nexus).poll();
    }

    /** Whether a condition is pending for this nexus. */
    public synchronized boolean pending(ItNexus nexus) {
        return !queueOf(nexus).isEmpty();
    }

    /** Clears one particular condition for this nexus (REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED). */
    public synchronized void clear(ItNexus nexus, AdditionalSense sense) {
        queueOf(nexus).remove(sense);
    }

    // A command can arrive from a nexus the transport never announced (tests, or a transport that does not report
    // logins); treat it as new, with its reset condition.
    private UnitAttentionQueue queueOf(ItNexus nexus) {
        Objects.requireNonNull(nexus, "nexus");
        if (!active.containsKey(nexus)) {
            nexusAdded(nexus);
        }
        return active.get(nexus);
    }
}
