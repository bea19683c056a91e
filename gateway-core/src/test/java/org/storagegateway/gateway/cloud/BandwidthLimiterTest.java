package org.storagegateway.gateway.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves: what it makes transfers wait, never a wall-clock timing. */
class BandwidthLimiterTest {
    private long now;
    private final List<Long> waits = new ArrayList<>();

    private BandwidthLimiter limiter(long rate) {
        return new BandwidthLimiter(rate, () -> now, nanos -> {
            waits.add(nanos);
            now += nanos;
        });
    }

    @Test
    void transfersBeyondTheRateWaitTheirShareAndTheRateChangesLive() throws InterruptedException {
        BandwidthLimiter limiter = limiter(1_000_000);
        limiter.acquire(3_000_000);
        assertEquals(List.of(), waits, "the first transfer starts at once, putting the bucket in debt");
        limiter.acquire(1);
        assertEquals(List.of(3_000_000_000L), waits, "the next waits until 3 MB at 1 MB/s have passed");
        limiter.setRate(0);
        limiter.acquire(100_000_000);
        assertEquals(1, waits.size(), "0 is unlimited");
        limiter.setRate(2_000_000);
        now += 10_000_000_000L;
        limiter.acquire(2_000_000);
        limiter.acquire(2_000_000);
        limiter.acquire(1);
        assertEquals(List.of(3_000_000_000L, 1_000_000_000L), waits,
                "idle time earns one second of rate at most, not a ten-second burst");
    }
}
