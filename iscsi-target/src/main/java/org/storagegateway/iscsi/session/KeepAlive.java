package org.storagegateway.iscsi.session;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Target-initiated NOP-In pings (RFC 7143 §11.19): when a whole interval passes without a PDU from
 * the initiator, ping it with a fresh Target Transfer Tag; if no NOP-Out echoing that tag arrives within the timeout,
 * drop the connection. Timed by the event loop's scheduler, so tests drive it with a controllable clock
 * (EmbeddedChannel.advanceTimeBy) instead of sleeping. Confined to the connection's event loop.
 */
final class KeepAlive {
    private final EventExecutor executor;
    private final Duration interval;
    private final Duration timeout;
    private final IntConsumer sendPing;
    private final Runnable onTimeout;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> deadline;
    private boolean activity;
    private int pendingTag;
    private boolean pending;

    /**
     * @param sendPing  sends a NOP-In ping carrying the given TTT
     * @param onTimeout closes the connection
     */
    KeepAlive(EventExecutor executor, Duration interval, Duration timeout, IntConsumer sendPing, Runnable onTimeout) {
        this.executor = executor;
        this.interval = interval;
        this.timeout = timeout;
        this.sendPing = sendPing;
        this.onTimeout = onTimeout;
    }

    void start() {
        if (!interval.isZero()) {
            tick = executor.scheduleAtFixedRate(this::onTick, interval.toNanos(), interval.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** A PDU arrived: the initiator is alive. */
    void activity() {
        activity = true;
    }

    /** A NOP-Out echoed a target transfer tag; clears the pending ping if it is ours. */
    void answered(int targetTransferTag) {
        if (pending && targetTransferTag == pendingTag) {
            pending = false;
            deadline.cancel(false);
        }
    }

    /** Whether a ping awaits its answer. */
    boolean pinging() {
        return pending;
    }

    private void onTick() {
        boolean idle = !activity;
        activity = false;
        if (!idle || pending) {
            return;
        }
        pendingTag = nextTag();
        pending = true;
        sendPing.accept(pendingTag);
        deadline = executor.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void expire() {
        if (pending) {
            onTimeout.run();
        }
    }

    private int tagCounter = 0x4E4F5000;

    private int nextTag() {
        // Any value but 0xFFFFFFFF (RFC 7143 §11.19.2); distinct from the R2T tags only for readability in traces.
        tagCounter = tagCounter == 0xFFFFFFFE ? 0x4E4F5000 : tagCounter + 1;
        return tagCounter;
    }
}
