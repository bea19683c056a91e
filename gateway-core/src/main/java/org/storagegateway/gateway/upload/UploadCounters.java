package org.storagegateway.gateway.upload;

import java.util.concurrent.atomic.AtomicLong;

/** What the uploader did since it started, for metrics and tests. */
public final class UploadCounters {
    final AtomicLong bytesUploaded = new AtomicLong();
    final AtomicLong chunksUploaded = new AtomicLong();
    final AtomicLong skippedExisting = new AtomicLong();
    final AtomicLong skippedUnchanged = new AtomicLong();
    final AtomicLong zeroChunks = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    /** Chunk bytes sent to the store. */
    public long bytesUploaded() {
        return bytesUploaded.get();
    }

    /** Chunk objects written. */
    public long chunksUploaded() {
        return chunksUploaded.get();
    }

    /** Chunks whose object the store already held (another volume, a snapshot, or before a crash). */
    public long skippedExisting() {
        return skippedExisting.get();
    }

    /** Chunks rewritten with the content they already had remotely: nothing sent, nothing asked. */
    public long skippedUnchanged() {
        return skippedUnchanged.get();
    }

    /** All-zero chunks settled with no object. */
    public long zeroChunks() {
        return zeroChunks.get();
    }

    /** Chunk uploads that failed (and were kept dirty for a later pass). */
    public long failures() {
        return failures.get();
    }

    @Override
    public String toString() {
        return String.format("uploaded %d chunks (%d bytes), %d existing, %d unchanged, %d zero, %d failures",
                chunksUploaded(), bytesUploaded(), skippedExisting(), skippedUnchanged(), zeroChunks(), failures());
    }
}
