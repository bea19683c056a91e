package org.storagegateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.storagegateway.cache.store.CacheChecker;
import org.storagegateway.cache.store.CheckReport;

/** Checks a quiet cache (no writes, reads or evictions under way) with {@link CacheChecker}. */
final class CacheConsistency {
    private CacheConsistency() {
    }

    /** The database is sound, and its recount matches the cache's running accounting. */
    static void assertSound(BlockCache cache) throws IOException {
        cache.awaitEvictions();
        CheckReport report = CacheChecker.check(cache.database);
        assertTrue(report.isSound(), () -> "the cache database has problems: " + report.problems());
        CacheMetrics metrics = cache.metrics();
        assertEquals(report.usedBytes(false), metrics.usedBytes(), "cached volumes' bytes, recounted");
        assertEquals(report.usedBytes(true), metrics.storedVolumeBytes(), "stored volumes' bytes, recounted");
        assertEquals(report.dirtyBytes(false), metrics.uploadBufferUsed(), "cached volumes' dirty bytes, recounted");
        assertEquals(report.dirtyBytes(false) + report.dirtyBytes(true), metrics.dirtyBytes(),
                "dirty bytes, recounted");
    }
}
