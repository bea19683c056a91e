package org.storagegateway.scsi.ua;

import java.util.ArrayDeque;
import java.util.Iterator;

import org.storagegateway.scsi.AdditionalSense;

/**
 * The unit attention conditions pending for one I_T nexus on one logical unit, oldest first (SAM-5 §5.14). Bounded:
 * a condition already queued is not queued twice, and when the queue is full the condition of lowest precedence (the
 * newest of those) gives way, as SAM-5 §5.14 allows a logical unit that cannot queue every condition to keep the
 * ones of highest precedence. Not thread-safe; {@link UnitAttentions} guards it.
 */
final class UnitAttentionQueue {
    private final int capacity;
    private final ArrayDeque<AdditionalSense> pending = new ArrayDeque<>();

    UnitAttentionQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("unit attention queue capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
    }

    void add(AdditionalSense sense) {
        if (pending.contains(sense)) {
            return;
        }
        if (pending.size() == capacity) {
            AdditionalSense weakest = weakestNewest();
            if (precedence(weakest) >= precedence(sense)) {
                return;
            }
            pending.removeLastOccurrence(weakest);
        }
        pending.addLast(sense);
    }

    /** Removes and returns the oldest condition, or null. */
    AdditionalSense poll() {
        return pending.pollFirst();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    void remove(AdditionalSense sense) {
        pending.remove(sense);
    }

    void clear() {
        pending.clear();
    }

    int size() {
        return pending.size();
    }

    private AdditionalSense weakestNewest() {
        AdditionalSense weakest = null;
        for (Iterator<AdditionalSense> it = pending.descendingIterator(); it.hasNext(); ) {
            AdditionalSense candidate = it.next();
            if (weakest == null || precedence(candidate) < precedence(weakest)) {
                weakest = candidate;
            }
        }
        return weakest;
    }

    /**
     * SAM-5 §5.14: power on, reset and I_T nexus loss conditions (ASC 29h) take precedence over all others, because
     * they tell the initiator that everything else it knew about the logical unit is stale.
     */
    static int precedence(AdditionalSense sense) {
        return sense.asc() == 0x29 ? 1 : 0;
    }
}
