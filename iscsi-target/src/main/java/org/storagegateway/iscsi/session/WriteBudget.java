package org.storagegateway.iscsi.session;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A connection's allowance for solicited write data: a task may be sent R2Ts (RFC 7143 §11.8) only once it holds a
 * share of the budget as large as its whole transfer, so what the target buffers for writes is bounded by this
 * budget rather than by the EDTLs initiators claim. Shares are granted in the order they are asked for (the
 * connection asks as the CmdSN sequencer delivers tasks); a request that does not fit waits, and so does every later
 * one, so that small writes cannot starve a large one. A request is granted whatever its size when nothing is held,
 * so a single transfer larger than the budget still runs. A holder's share returns when it finishes; a waiting task
 * that is aborted just leaves the line. Confined to the connection's event loop.
 *
 * @param <T> the task type, compared by identity
 */
final class WriteBudget<T> {
    private final long capacity;
    private final Consumer<T> granted;
    private final Map<T, Long> holders = new IdentityHashMap<>();
    private final LinkedHashMap<T, Long> waiting = new LinkedHashMap<>();
    private long held;

    /**
     * @param capacity how many bytes the holders may hold together
     * @param granted  called, on the caller's thread, for each waiting request that {@link #release} grants
     */
    WriteBudget(long capacity, Consumer<T> granted) {
        if (capacity < 1) {
            throw new IllegalArgumentException("write budget must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.granted = granted;
    }

    /**
     * Asks for {@code bytes} for {@code task}: true when granted at once; otherwise the task waits in line and
     * {@code granted} is called once it is its turn and it fits.
     */
    boolean request(T task, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a negative share was asked for: " + bytes);
        }
        if (holders.containsKey(task) || waiting.containsKey(task)) {
            throw new IllegalStateException("a task asked twice for write budget: " + task);
        }
        if (waiting.isEmpty() && fits(bytes)) {
            hold(task, bytes);
            return true;
        }
        waiting.put(task, bytes);
        return false;
    }

    /** Gives back the task's share, or its place in line; then grants waiting requests that now fit, in order. */
    void release(T task) {
        Long share = holders.remove(task);
        if (share != null) {
            held -= share;
        } else if (waiting.remove(task) == null) {
            return;
        }
        grantWaiting();
    }

    private void grantWaiting() {
        while (!waiting.isEmpty()) {
            // A fresh iterator each round: the callback may release or request in turn.
            Iterator<Map.Entry<T, Long>> line = waiting.entrySet().iterator();
            Map.Entry<T, Long> head = line.next();
            if (!fits(head.getValue())) {
                return;
            }
            line.remove();
            hold(head.getKey(), head.getValue());
            granted.accept(head.getKey());
        }
    }

    private boolean fits(long bytes) {
        return held == 0 || bytes <= capacity - held;
    }

    private void hold(T task, long bytes) {
        holders.put(task, bytes);
        held += bytes;
    }

    /** Bytes held by the tasks granted a share. */
    long held() {
        return held;
    }

    /** Tasks waiting for a share. */
    int waitingCount() {
        return waiting.size();
    }
}
