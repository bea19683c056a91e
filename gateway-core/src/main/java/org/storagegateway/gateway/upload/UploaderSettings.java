package org.storagegateway.gateway.upload;

import java.time.Duration;

/**
 * How the {@link Uploader} runs.
 *
 * @param concurrency    chunks uploaded at once (each holds one chunk in memory while it uploads)
 * @param initialBackoff the wait after a pass that failed, doubled after each further failed pass
 * @param maxBackoff     the longest wait between failed passes
 * @param idlePoll       how long the uploader sleeps when it found nothing to do (writes do not wake it)
 * @param settle         how long a dirty chunk must go unwritten before it uploads, so that a chunk written over and
 *                       over uploads once it is quiet, not after every write (like the page cache's dirty expiry);
 *                       not waited for while a snapshot waits on the volume or its upload buffer is half full
 */
public record UploaderSettings(int concurrency, Duration initialBackoff, Duration maxBackoff, Duration idlePoll,
                               Duration settle) {
    public static final UploaderSettings DEFAULTS = new UploaderSettings(8, Duration.ofMillis(200),
            Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(5));

    /** Settings that upload a dirty chunk as soon as a pass finds it. */
    public UploaderSettings(int concurrency, Duration initialBackoff, Duration maxBackoff, Duration idlePoll) {
        this(concurrency, initialBackoff, maxBackoff, idlePoll, Duration.ZERO);
    }

    public UploaderSettings {
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("upload concurrency must be 1 to 256, was " + concurrency);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || idlePoll.isNegative()
                || settle.isNegative()) {
            throw new IllegalArgumentException(String.format("bad backoff %s..%s, idle poll %s or settle %s",
                    initialBackoff, maxBackoff, idlePoll, settle));
        }
    }

    /** The wait after {@code failures} failed passes in a row (1 or more). */
    Duration backoff(int failures) {
        long millis = initialBackoff.toMillis() << Math.min(failures - 1, 20);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
    }
}
