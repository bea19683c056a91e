package org.storagegateway.gateway.upload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.ChunkStore;
import org.storagegateway.gateway.cloud.CloudStore;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.cloudfake.ForwardingChunkStore;

/**
 * The process {@link UploadCrashTest} kills: a stored volume in a cache on disk, the real uploader over HTTP to the
 * test's S3 server, and a writer rewriting chunks with contents no other write has (so every chunk object is
 * uploaded for one write only). It prints, each line flushed before it goes on:
 * <ul>
 *   <li>{@code begin <chunk> <version>} before a write, {@code ack <chunk> <version>} once it returned (it is in
 *       the cache's log);</li>
 *   <li>{@code put <key>} before an upload starts and {@code done <key>} once the store confirmed it;</li>
 *   <li>in drain mode, once everything uploaded, {@code final <chunk> <digest of its content> <its remote ref>} per
 *       chunk ({@code -} for none), then the uploader's counters and {@code drained}.</li>
 * </ul>
 * Arguments: cache directory, endpoint, secret, first version, mode ({@code write} or {@code drain}).
 */
public final class UploadCrashChild {
    static final int CHUNK = 64 << 10;
    static final int CHUNKS = 48;
    static final String BUCKET = "crash";

    private UploadCrashChild() {
    }

    /** Chunk {@code chunk}'s content at {@code version}: distinct for every pair, reproducible by both processes. */
    static byte[] content(int chunk, long version) {
        byte[] data = new byte[CHUNK];
        SplittableRandom random = new SplittableRandom(version * 1_000_003L + chunk);
        for (int i = 0; i < data.length; i += 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                data[i + b] = (byte) (value >>> (8 * b));
            }
        }
        return data;
    }

    static ObjectStoreSettings settings(URI endpoint, String secret) {
        return new ObjectStoreSettings(endpoint, "us-east-1", BUCKET, "", true, "crash", secret, Map.of(), null, 0, 0,
                8, null);
    }

    public static void main(String[] args) throws Exception {
        Path cacheDirectory = Path.of(args[0]);
        URI endpoint = URI.create(args[1]);
        long version = Long.parseLong(args[3]);
        boolean drain = args[4].equals("drain");
        PrintStream out = System.out;
        try (CloudStore cloud = CloudStore.open(settings(endpoint, args[2]));
             BlockCache cache = BlockCache.open(CacheSettings.of(cacheDirectory, 64L << 20, 32L << 20)
                     .withChunkSize(CHUNK));
             Uploader uploader = new Uploader(new Announcing(cloud.chunks(), out), new UploaderSettings(4,
                     Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(5)),
                     duration -> Thread.sleep(duration.toMillis()))) {
            CachedVolume volume = cache.openVolume("v", (long) CHUNKS * CHUNK, VolumeMode.STORED, null);
            uploader.register(volume);
            uploader.start();
            if (drain) {
                if (!uploader.awaitUploaded("v", Duration.ofMinutes(2))) {
                    throw new IOException("the uploader did not drain");
                }
                HexFormat hex = HexFormat.of();
                for (int chunk = 0; chunk < CHUNKS; chunk++) {
                    byte[] ref = volume.remoteRef(chunk);
                    CachedVolume.ChunkImage image = volume.readChunk(chunk);
                    String content = image.zero() ? "-" : cloud.chunks().refOf(image.data(), CHUNK).hex();
                    out.println("final " + chunk + " " + content + " " + (ref == null ? "-" : hex.formatHex(ref)));
                }
                out.println("counters " + uploader.counters());
                out.println("drained");
                out.flush();
                return;
            }
            Random random = new Random(version);
            for (long next = version; ; next++) {
                int chunk = random.nextInt(CHUNKS);
                synchronized (out) {
                    out.println("begin " + chunk + " " + next);
                    out.flush();
                }
                volume.write((long) chunk * CHUNK, ByteBuffer.wrap(content(chunk, next)), false);
                synchronized (out) {
                    out.println("ack " + chunk + " " + next);
                    out.flush();
                }
                // Room for the uploader: a writer outrunning it would leave little to kill it in the middle of.
                Thread.sleep(random.nextInt(3));
            }
        }
    }

    /** The chunk store, printing each upload as it begins and once the store confirmed it. */
    private static final class Announcing extends ForwardingChunkStore {
        private final PrintStream out;

        Announcing(ChunkStore chunks, PrintStream out) {
            super(chunks);
            this.out = out;
        }

        @Override
        public void putAs(ChunkRef ref, byte[] chunk, int length) throws IOException {
            announce("put " + keyOf(ref));
            super.putAs(ref, chunk, length);
            announce("done " + keyOf(ref));
        }

        private void announce(String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }
}
