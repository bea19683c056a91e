package org.storagegateway.gateway.cloud;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket over bytes per second, changeable while transfers run (UpdateBandwidthRateLimit): each transfer
 * takes its bytes before it starts and waits while the bucket is in debt. One second of rate is the most that can
 * build up, so an idle link does not earn a burst of minutes. A rate of 0 means unlimited.
 */
public final class BandwidthLimiter {
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private long bytesPerSecond;
    private double tokens;
    private long lastRefill;

    /** How the limiter waits; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    public BandwidthLimiter(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    public BandwidthLimiter(long bytesPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.lastRefill = nanoClock.getAsLong();
        setRate(bytesPerSecond);
    }

    /** Changes the rate from now on (0: unlimited). */
    public synchronized void setRate(long newBytesPerSecond) {
        if (newBytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate is at least 0 bytes per second, not " + newBytesPerSecond);
        }
        refill();
        bytesPerSecond = newBytesPerSecond;
        tokens = Math.min(tokens, newBytesPerSecond);
    }

    public synchronized long rate() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes} from the bucket, first waiting until it is out of debt. */
    public void acquire(long bytes) throws InterruptedException {
        long wait;
        synchronized (this) {
            if (bytesPerSecond == 0) {
                return;
            }
            refill();
            wait = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
            tokens -= bytes;
        }
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        if (bytesPerSecond > 0) {
            tokens = Math.min(bytesPerSecond, tokens + (now - lastRefill) * (double) bytesPerSecond / 1e9);
        }
        lastRefill = now;
    }
}
