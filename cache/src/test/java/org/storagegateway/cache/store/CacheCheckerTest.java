package org.storagegateway.cache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheMetrics;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;

/** Damages a real cache database through RocksDB and expects the checker to name each kind of damage. */
class CacheCheckerTest {
    private static final int PAGE = CacheSettings.DEFAULT_PAGE_SIZE;
    private static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;
    /** The first volume a new database allocates. */
    private static final int VOLUME = 1;
    private static final long DIRTY_CHUNK = 0;
    private static final long CLEAN_CHUNK = 1;

    @TempDir
    Path directory;

    /** Volume "v": chunk 0 dirty with pages 0 to 3 stored, chunk 1 uploaded (clean) with page 0 stored. */
    @BeforeEach
    void writeAVolume() throws IOException {
        try (BlockCache cache = openCache()) {
            CachedVolume volume = cache.openVolume("v", 8L * CHUNK, VolumeMode.STORED, null);
            volume.write(0, ByteBuffer.wrap(random(4 * PAGE)), false);
            volume.write(CHUNK, ByteBuffer.wrap(random(PAGE)), false);
            assertTrue(volume.markUploaded(CLEAN_CHUNK, volume.readChunk(CLEAN_CHUNK).stamp(), new byte[] {1}));
        }
    }

    private BlockCache openCache() throws IOException {
        return BlockCache.open(CacheSettings.of(directory, 64L << 20, 16L << 20));
    }

    private static byte[] random(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    /** Applies {@code damage} straight to RocksDB, then checks. */
    private CheckReport checkAfter(Damage damage) throws IOException {
        try (CacheDatabase database = CacheDatabase.open(directory, 1 << 20, false)) {
            try (CacheDatabase.Batch batch = database.batch()) {
                damage.apply(batch);
                database.write(batch, true);
            }
            return CacheChecker.check(database);
        }
    }

    @FunctionalInterface
    private interface Damage {
        void apply(CacheDatabase.Batch batch) throws IOException;
    }

    private static void assertReported(CheckReport report, String... fragments) {
        List<String> problems = report.problems();
        assertEquals(fragments.length, problems.size(), "problems: " + problems);
        for (int i = 0; i < fragments.length; i++) {
            assertTrue(problems.get(i).contains(fragments[i]),
                    "expected \"" + fragments[i] + "\" in \"" + problems.get(i) + "\"");
        }
    }

    @Test
    void aSoundCacheHasNoProblemsAndItsRecountMatchesTheAccounting() throws IOException {
        try (BlockCache cache = openCache()) {
            CheckReport report = cache.check();
            CacheMetrics metrics = cache.metrics();
            assertTrue(report.isSound(), report.problems().toString());
            assertEquals(5, report.pagesChecked());
            assertEquals(new CheckReport.VolumeUsage("v", VOLUME, true, 2, 1, 5L * PAGE, 4L * PAGE),
                    report.volume("v"));
            assertEquals(metrics.storedVolumeBytes(), report.usedBytes(true));
            assertEquals(metrics.dirtyBytes(), report.dirtyBytes(true) + report.dirtyBytes(false));
        }
    }

    @Test
    void aPageMarkedStoredWithoutAValueIsReported() throws IOException {
        CheckReport report = checkAfter(batch -> batch.deletePage(VOLUME, 2));
        assertReported(report, "chunk 0 of volume v marks page 2 stored, but it has no value");
    }

    @Test
    void aPageValueItsRecordDoesNotMarkStoredIsReported() throws IOException {
        byte[] value = new PageCodec(PAGE).encode(random(PAGE), 0);
        CheckReport report = checkAfter(batch -> batch.putPage(VOLUME, CHUNK / PAGE + 7, value));
        assertReported(report, "chunk 1 of volume v has a value for page 7, which its record marks not stored");
    }

    @Test
    void aPageValueThatDoesNotDecodeIsReported() throws IOException {
        CheckReport report = checkAfter(batch -> batch.putPage(VOLUME, 1, new byte[] {PageCodec.LZ4, 1, 2, 3}));
        assertReported(report, "chunk 0 of volume v, page 1: cache corrupt");
    }

    @Test
    void aDirtyRecordWithoutItsDirtyMarkIsReported() throws IOException {
        CheckReport report = checkAfter(batch -> batch.deleteDirty(VOLUME, DIRTY_CHUNK));
        assertReported(report, "chunk 0 of volume v is dirty in generation 1 but has no dirty mark");
    }

    @Test
    void aDirtyMarkOnACleanRecordOrOfAnotherGenerationIsReported() throws IOException {
        CheckReport report = checkAfter(batch -> batch.putDirty(VOLUME, CLEAN_CHUNK, 1)
                .putDirty(VOLUME, DIRTY_CHUNK, 3));
        assertReported(report, "chunk 0 of volume v has a dirty mark of generation 3, its record generation 1",
                "chunk 1 of volume v has a dirty mark but its record is clean");
    }

    @Test
    void pagesAndMarksLeftByADeletedRecordAreReportedAsOneRunEach() throws IOException {
        CheckReport report = checkAfter(batch -> batch.deleteChunk(VOLUME, DIRTY_CHUNK));
        assertReported(report, "4 page values (0 to 3) of volume v: no chunk record marks them stored",
                "1 dirty marks (0 to 0) of volume v: they have no chunk record");
    }

    @Test
    void recordsOfUnknownVolumesAndPastAVolumesEndAreReported() throws IOException {
        ChunkRecord record = ChunkRecord.empty(CHUNK / PAGE, true);
        CheckReport report = checkAfter(batch -> batch.putChunk(VOLUME, 8, record).putChunk(VOLUME + 1, 0, record));
        assertReported(report, "chunk 8 of volume v lies past the volume's end (8 chunks)",
                "a chunk record (chunk 0) of unknown volume id 2");
    }

    @Test
    void aRecordThatDoesNotDecodeIsReportedAndItsPagesAreNotJudged() throws IOException {
        ChunkRecord ofAnotherLayout = ChunkRecord.empty(16, true);
        CheckReport report = checkAfter(batch -> batch.putChunk(VOLUME, DIRTY_CHUNK, ofAnotherLayout));
        assertReported(report, "chunk 0 of volume v: cache corrupt: a chunk record for 16 pages, expected 256");
    }
}
