package org.storagegateway.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read-ahead for sequential readers that miss the cache, and background hydration of volumes made from remote content. */
class ReadAheadTest {
    private static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;
    private static final int CHUNKS = 24;

    @TempDir
    Path directory;

    /** The unit-test store, counting which chunks were asked for, optionally holding every read at a gate. */
    private static final class CountingSource implements ChunkSource {
        final InMemoryObjectStore store = new InMemoryObjectStore();
        final Set<Long> asked = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public boolean read(long index, byte[] remoteRef, byte[] chunk) throws IOException {
            asked.add(index);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return store.read(index, remoteRef, chunk);
        }
    }

    private BlockCache open() throws IOException {
        return BlockCache.open(CacheSettings.of(directory, 256L << 20, 64L << 20));
    }

    private static CountingSource remoteVolume() {
        CountingSource source = new CountingSource();
        for (int i = 0; i < CHUNKS; i++) {
            source.store.put(i, RandomChunks.chunk(7, i, CHUNK), false);
        }
        return source;
    }

    private static byte[] readChunk(CachedVolume volume, long index) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        volume.read(index * CHUNK, buffer);
        return buffer.array();
    }

    private static void awaitAsked(CountingSource source, long chunk) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!source.asked.contains(chunk)) {
            assertTrue(System.nanoTime() < deadline, "chunk " + chunk + " was never fetched ahead");
            Thread.sleep(5);
        }
    }

    @Test
    void aSequentialReaderThatMissesFindsTheNextChunksFetchedAhead() throws Exception {
        CountingSource source = remoteVolume();
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", (long) CHUNKS * CHUNK, VolumeMode.CACHED, source);
            volume.putRemoteRefs(source.store.refs());
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(source.store.get(i), readChunk(volume, i));
            }
            assertEquals(2, cache.metrics().readMisses());
            awaitAsked(source, 1 + ReadAhead.WINDOW);
            for (int i = 2; i < CHUNKS; i++) {
                assertArrayEquals(source.store.get(i), readChunk(volume, i), "chunk " + i);
            }
            assertEquals(CHUNKS, source.asked.size());
            assertTrue(cache.metrics().readMisses() < CHUNKS / 2,
                    "read-ahead served most reads: " + cache.metrics().readMisses() + " misses");
            assertTrue(cache.check().problems().isEmpty(), cache.check().problems().toString());
        }
    }

    @Test
    void randomReadsAndCachedStreamsFetchNothingAhead() throws Exception {
        CountingSource source = remoteVolume();
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", (long) CHUNKS * CHUNK, VolumeMode.CACHED, source);
            volume.putRemoteRefs(source.store.refs());
            for (long chunk : new long[] {5, 3, 11, 20, 8, 4}) {
                readChunk(volume, chunk);
            }
            // A stream over chunks the cache holds misses nothing, so it starts nothing either.
            for (long chunk = 3; chunk <= 5; chunk++) {
                readChunk(volume, chunk);
            }
            cache.fetchPool.shutdown();
            assertTrue(cache.fetchPool.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(Set.of(3L, 4L, 5L, 8L, 11L, 20L), source.asked, "only what was read");
        }
    }

    @Test
    void hydrationFetchesEveryRemoteChunkOnceAndLeavesWrittenChunksAlone() throws Exception {
        CountingSource source = remoteVolume();
        byte[] written = RandomChunks.chunk(9, 3, CHUNK);
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", (long) CHUNKS * CHUNK, VolumeMode.STORED, source);
            volume.putRemoteRefs(source.store.refs().subList(4, CHUNKS));
            volume.write(0, ByteBuffer.wrap(written), false);
            CountDownLatch done = new CountDownLatch(1);
            assertTrue(volume.hydrateInBackground(done::countDown));
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertEquals(CHUNKS - 4, source.asked.size());
            assertFalse(source.asked.contains(0L));
            long misses = cache.metrics().readMisses();
            for (int i = 4; i < CHUNKS; i++) {
                assertArrayEquals(source.store.get(i), readChunk(volume, i));
            }
            assertArrayEquals(written, readChunk(volume, 0));
            assertEquals(misses, cache.metrics().readMisses(), "every chunk was local");
            assertTrue(cache.check().problems().isEmpty(), cache.check().problems().toString());
        }
    }

    @Test
    void closingAVolumeStopsItsHydrationAndWaitsForTheFetchUnderWay() throws Exception {
        CountingSource source = remoteVolume();
        source.gate = new CountDownLatch(1);
        try (BlockCache cache = open()) {
            CachedVolume volume = cache.openVolume("v", (long) CHUNKS * CHUNK, VolumeMode.STORED, source);
            volume.putRemoteRefs(source.store.refs());
            CountDownLatch done = new CountDownLatch(1);
            assertTrue(volume.hydrateInBackground(done::countDown));
            awaitAsked(source, 0);
            Thread closer = new Thread(volume::close);
            closer.start();
            closer.join(200);
            assertTrue(closer.isAlive(), "close waits for the fetch under way");
            source.gate.countDown();
            closer.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(closer.isAlive());
            assertEquals(1, done.getCount(), "hydration stopped before the end");
            assertTrue(source.asked.size() < CHUNKS);
            assertTrue(cache.check().problems().isEmpty(), cache.check().problems().toString());
        }
    }
}
