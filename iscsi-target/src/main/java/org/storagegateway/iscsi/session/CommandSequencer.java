package org.storagegateway.iscsi.session;

import java.util.HashMap;
import java.util.Map;

/**
 * The session's command numbering (RFC 7143 §4.2.2.1): ExpCmdSN, MaxCmdSN and in-order delivery. A non-immediate
 * request inside [ExpCmdSN, MaxCmdSN] is delivered when every lower CmdSN has been; one outside is silently ignored.
 * MaxCmdSN advances only when a request's slot is freed, so at most {@code window} non-immediate requests are
 * outstanding and MaxCmdSN never moves backwards. Comparisons use serial number arithmetic (RFC 1982). Confined to
 * the connection's event loop.
 */
final class CommandSequencer {
    private final Map<Integer, Runnable> waiting = new HashMap<>();
    private int expCmdSN;
    private int maxCmdSN;

    CommandSequencer(int initialCmdSN, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.expCmdSN = initialCmdSN;
        this.maxCmdSN = initialCmdSN + window - 1;
    }

    int expCmdSN() {
        return expCmdSN;
    }

    int maxCmdSN() {
        return maxCmdSN;
    }

    /** Whether {@code cmdSN} lies in [ExpCmdSN, MaxCmdSN] (serial arithmetic). */
    boolean inWindow(int cmdSN) {
        return cmdSN - expCmdSN >= 0 && maxCmdSN - cmdSN >= 0;
    }

    /**
     * Accepts a non-immediate request: runs {@code delivery} now if it is next, later once the gap before it fills.
     * Returns false, doing nothing, for a CmdSN outside the window or already received.
     */
    boolean submit(int cmdSN, Runnable delivery) {
        if (!inWindow(cmdSN) || waiting.containsKey(cmdSN)) {
            return false;
        }
        if (cmdSN != expCmdSN) {
            waiting.put(cmdSN, delivery);
            return true;
        }
        expCmdSN++;
        delivery.run();
        Runnable next;
        while ((next = waiting.remove(expCmdSN)) != null) {
            expCmdSN++;
            next.run();
        }
        return true;
    }

    /**
     * Treats a CmdSN not yet received as received and finished (RFC 7143 §11.5.1, ABORT TASK with an unknown task
     * whose RefCmdSN is in the window): the command, should it still come, is then ignored.
     */
    boolean markReceived(int cmdSN) {
        return submit(cmdSN, this::slotFreed);
    }

    /** A non-immediate request is finished: the window may slide by one. */
    void slotFreed() {
        maxCmdSN++;
    }

    /** Requests received out of order that still wait for a lower CmdSN. */
    int waitingCount() {
        return waiting.size();
    }
}
