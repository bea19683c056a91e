package org.storagegateway.cache.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheMetrics;
import org.storagegateway.cache.crash.CrashSetup.Volume;
import org.storagegateway.cache.crash.ExpectedVolume.Outcome;
import org.storagegateway.cache.crash.Operation.Kind;
import org.storagegateway.cache.store.CheckReport;

/**
 * Issue 4's crash test: a {@link CrashWriter} process writes to a stored and a cached volume until it is SIGKILLed at
 * a random moment; the cache is reopened here and must hold every acknowledged call (the one in flight may or may not
 * be there, but never torn), pass {@link BlockCache#check()}, keep a dirty mark on every chunk changed since its last
 * upload, and account exactly what its records recount. The next writer goes on in the same directory, so the
 * volumes accumulate across kills.
 *
 * <p>System properties: {@code crash.kills} (default 20), {@code crash.seed} (default: the clock; printed).
 */
class CacheCrashTest {
    private static final int KILLS = Integer.getInteger("crash.kills", 20);
    /** The writer runs this long after its first acknowledged call, plus up to {@link #KILL_SPREAD_MILLIS}. */
    private static final int KILL_AFTER_MILLIS = 100;
    private static final int KILL_SPREAD_MILLIS = 700;

    /** Kept when the test fails, with each writer's log and stderr, for a post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    private final Map<Kind, Long> acknowledged = new EnumMap<>(Kind.class);
    private final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    /** Evicted chunks of the cached volume (by a writer or by an earlier verification) read back from objects. */
    private long fetches;

    @Test
    void everyAcknowledgedCallSurvivesSigkillAndTheCacheStaysSound() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("crash test seed " + seed + " (-Dcrash.seed to repeat)");
        Random random = new Random(seed);
        Path cache = directory.resolve("cache");
        Path objects = directory.resolve("objects");
        Map<String, ExpectedVolume> expected = Map.of(
                CrashSetup.STORED, new ExpectedVolume(CrashSetup.STORED, CrashSetup.STORED_SIZE),
                CrashSetup.CACHED, new ExpectedVolume(CrashSetup.CACHED, CrashSetup.CACHED_SIZE));
        long started = System.nanoTime();
        for (int kill = 1; kill <= KILLS; kill++) {
            WriterLog log = runUntilKilled(cache, objects, random.nextLong(), kill);
            for (ExpectedVolume volume : expected.values()) {
                volume.writer("writer " + kill);
            }
            for (WriterLog.Acknowledged call : log.acknowledged()) {
                expected.get(call.operation().volume()).apply(call.operation(), call.result());
                acknowledged.merge(call.operation().kind(), 1L, Long::sum);
            }
            verify(cache, objects, expected, log.inFlight(), "after kill " + kill);
        }
        long total = acknowledged.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("crash test: %d kills, %d acknowledged calls verified %s, in-flight calls %s, %d evicted"
                        + " chunks fetched back, %d ms%n", KILLS, total, acknowledged, outcomes,
                fetches, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertTrue(acknowledged.getOrDefault(Kind.WRITE, 0L) >= KILLS, "the writers hardly wrote: " + acknowledged);
    }

    /** Starts a writer, SIGKILLs it a random while after its first acknowledged call, and parses what it logged. */
    private WriterLog runUntilKilled(Path cache, Path objects, long seed, int kill) throws Exception {
        Random random = new Random(seed);
        WriterProcess writer = WriterProcess.start(cache, objects, seed, directory.resolve("writer-" + kill + ".err"));
        boolean running = writer.awaitFirstAck(2, TimeUnit.MINUTES);
        if (running) {
            // The point of the test: the kill lands wherever the writer happens to be.
            Thread.sleep(KILL_AFTER_MILLIS + random.nextInt(KILL_SPREAD_MILLIS + 1));
        }
        int status = writer.kill();
        assertTrue(running, "writer " + kill + " acknowledged nothing; its stderr:\n" + writer.errorTail());
        assertEquals(WriterProcess.SIGKILL_EXIT, status,
                "writer " + kill + " ended on its own, not by SIGKILL; its stderr:\n" + writer.errorTail());
        assertEquals(List.of(), writer.complaints(), "writer " + kill + " reported errors");
        List<String> lines = writer.lines();
        Files.write(directory.resolve("writer-" + kill + ".log"), lines);
        return WriterLog.parse(lines);
    }

    private void verify(Path cacheDirectory, Path objects, Map<String, ExpectedVolume> expected, Operation inFlight,
                        String when) throws IOException {
        try (BlockCache cache = BlockCache.open(CrashSetup.settings(cacheDirectory))) {
            List<Volume> volumes = CrashSetup.openVolumes(cache, objects);
            assertSoundAndAccounted(cache, volumes, when + ", on reopening");
            List<String> failures = new ArrayList<>();
            for (Volume volume : volumes) {
                ExpectedVolume model = expected.get(volume.name());
                BitSet dirty = ExpectedVolume.dirtyChunks(volume.device());
                if (inFlight != null && inFlight.volume().equals(volume.name())) {
                    outcomes.merge(model.resolveInFlight(inFlight, volume.device(), dirty), 1L, Long::sum);
                }
                failures.addAll(model.verify(volume.device(), volume.objects(), dirty));
            }
            assertTrue(failures.isEmpty(), when + " (in flight: " + (inFlight == null ? "nothing"
                    : inFlight.beginLine()) + "):\n" + String.join("\n", failures));
            // Reading a cached volume fetched evicted chunks back and evicted others: still sound.
            assertSoundAndAccounted(cache, volumes, when + ", after reading everything");
            fetches += cache.metrics().readMisses();
        }
    }

    /** The checker finds nothing wrong, and the running accounting equals its recount from the records. */
    private static void assertSoundAndAccounted(BlockCache cache, List<Volume> volumes, String when)
            throws IOException {
        cache.awaitEvictions();
        CheckReport report = cache.check();
        CacheMetrics metrics = cache.metrics();
        assertTrue(report.isSound(), when + ", the checker found:\n" + String.join("\n", report.problems()));
        assertEquals(report.usedBytes(false), metrics.usedBytes(), when + ": cached volumes' bytes");
        assertEquals(report.usedBytes(true), metrics.storedVolumeBytes(), when + ": stored volumes' bytes");
        assertEquals(report.dirtyBytes(false), metrics.uploadBufferUsed(), when + ": upload buffer");
        assertEquals(report.dirtyBytes(false) + report.dirtyBytes(true), metrics.dirtyBytes(), when + ": dirty");
        for (Volume volume : volumes) {
            CheckReport.VolumeUsage recount = report.volume(volume.name());
            long[] counted = recount == null ? new long[2] : new long[] {recount.usedBytes(), recount.dirtyBytes()};
            assertArrayEquals(counted, cache.volumeUsage(volume.device()), when + ": usage of " + volume.name());
        }
    }
}
