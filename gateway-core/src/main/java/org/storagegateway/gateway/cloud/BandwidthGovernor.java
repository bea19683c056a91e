package org.storagegateway.gateway.cloud;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the object store's bandwidth limiters at what the {@link BandwidthSchedule} says for the current minute,
 * checking every {@link #CHECK_SECONDS} seconds, so a scheduled interval starts and ends on time and a change through
 * the API holds at once.
 */
public final class BandwidthGovernor implements AutoCloseable {
    static final int CHECK_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(BandwidthGovernor.class);

    private final BandwidthLimiter uploads;
    private final BandwidthLimiter downloads;
    private volatile ZoneId zone;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private BandwidthSchedule schedule;

    /** Governs the limiters (null: there is no object store, and the schedule is only kept) from {@code initial}. */
    public BandwidthGovernor(BandwidthLimiter uploads, BandwidthLimiter downloads, ZoneId zone, Clock clock,
                             BandwidthSchedule initial) {
        this.uploads = uploads;
        this.downloads = downloads;
        this.zone = zone;
        this.clock = clock;
        this.schedule = initial;
        apply();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bandwidth-schedule");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::apply, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    public synchronized BandwidthSchedule schedule() {
        return schedule;
    }

    /** The time zone the intervals' hours are in. */
    public ZoneId zone() {
        return zone;
    }

    /** Reads the intervals' hours in another zone from now on (the gateway's changed). */
    public synchronized void setZone(ZoneId newZone) {
        zone = newZone;
        apply();
    }

    /** Takes a new schedule, in force at once. */
    public synchronized void set(BandwidthSchedule next) {
        schedule = next;
        apply();
    }

    private synchronized void apply() {
        if (uploads == null) {
            return;
        }
        long[] rates = schedule.bytesPerSecondAt(ZonedDateTime.now(clock.withZone(zone)));
        if (uploads.rate() != rates[0] || downloads.rate() != rates[1]) {
            uploads.setRate(rates[0]);
            downloads.setRate(rates[1]);
            LOG.info("Bandwidth limits now: upload {}, download {}", describe(rates[0]), describe(rates[1]));
        }
    }

    private static String describe(long bytesPerSecond) {
        return bytesPerSecond == 0 ? "unlimited" : bytesPerSecond * 8 + " bits/s";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
