package org.storagegateway.scsi.pr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.storagegateway.scsi.AdditionalSense;

/**
 * What a PERSISTENT RESERVE OUT leaves for other I_T nexuses: unit attentions and tasks to abort, each addressed to the
 * I_T nexuses a registration covers. {@link Reservations} delivers them once the state lock is released.
 */
final class Effects {
    /** A unit attention for every I_T nexus a registration covers, but the one that sent the command. */
    record Notice(Registration target, AdditionalSense sense) {
    }

    private final List<Notice> notices = new ArrayList<>();
    private final List<Registration> aborted = new ArrayList<>();

    void unitAttention(Collection<Registration> targets, AdditionalSense sense) {
        for (Registration target : targets) {
            notices.add(new Notice(target, sense));
        }
    }

    void abortTasks(Collection<Registration> targets) {
        aborted.addAll(targets);
    }

    List<Notice> notices() {
        return notices;
    }

    List<Registration> aborted() {
        return aborted;
    }
}
