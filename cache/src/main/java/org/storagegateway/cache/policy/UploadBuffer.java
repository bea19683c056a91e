package org.storagegateway.cache.policy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dirty data of cached volumes against the configured upload buffer. Writers call {@link #awaitRoom()} first: below
 * {@link #SOFT_LIMIT} of the buffer they pass at once; above it each waits a little longer the fuller the buffer is,
 * so the initiator sees writes slow down long before they stop; at the limit they wait until uploads free room.
 * They never fail: the iSCSI session stays up (NOP-In keep-alives run on the network threads meanwhile).
 */
public final class UploadBuffer {
    private static final Logger LOG = LoggerFactory.getLogger(UploadBuffer.class);
    /** Where slowing down starts, as a fraction of the buffer. */
    public static final double SOFT_LIMIT = 0.9;
    private static final long MAX_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private volatile boolean full;

    public UploadBuffer(long limit) {
        this.limit = limit;
    }

    /** Dirty bytes changed by {@code delta}; wakes writers when room appears. */
    public void add(long delta) {
        long now = used.addAndGet(delta);
        if (delta < 0 && now < limit && full) {
            lock.lock();
            try {
                full = false;
                freed.signalAll();
            } finally {
                lock.unlock();
            }
            LOG.info("Upload buffer below its limit again ({} of {} bytes dirty); writes resume", now, limit);
        }
    }

    /** Blocks while the buffer is full, and slows down in the soft zone. */
    public void awaitRoom() throws InterruptedException {
        long now = used.get();
        long soft = (long) (limit * SOFT_LIMIT);
        if (now < soft) {
            return;
        }
        throttled.incrementAndGet();
        if (now < limit) {
            TimeUnit.NANOSECONDS.sleep(MAX_DELAY_NANOS * (now - soft) / Math.max(1, limit - soft));
            return;
        }
        lock.lock();
        try {
            if (!full && used.get() >= limit) {
                full = true;
                LOG.warn("Upload buffer full ({} bytes dirty): writes wait for uploads", used.get());
            }
            while (used.get() >= limit) {
                full = true;
                freed.await(1, TimeUnit.SECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    /** Writes that were slowed or held. */
    public long throttledWrites() {
        return throttled.get();
    }
}
