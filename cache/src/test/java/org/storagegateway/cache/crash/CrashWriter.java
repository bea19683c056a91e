package org.storagegateway.cache.crash;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.crash.CrashSetup.Volume;
import org.storagegateway.cache.crash.Operation.Kind;

/**
 * The process {@link CacheCrashTest} kills: it opens the cache and writes, deallocates, uploads and flushes at random
 * until SIGKILL, logging each call on stdout before it is made ("begin") and after it returned ("ack"), so that the
 * test knows what was acknowledged and which single call was in flight.
 *
 * <p>Arguments: the cache directory, the objects directory, a seed.
 */
public final class CrashWriter {
    private static final int SECTOR = 512;
    private static final int PAGE = 4096;
    private static final int CHUNK = CrashSetup.CHUNK;
    /** Uploads are forced above this much dirty data of the cached volume, so writes never wait for room. */
    private static final long UPLOAD_ABOVE = CrashSetup.UPLOAD_BUFFER_BYTES / 2;

    private final BlockCache cache;
    private final List<Volume> volumes;
    private final Random random;
    /** Its own buffered stdout, so that each line leaves in one write and flush. */
    private final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 12);
    private long sequence;

    private CrashWriter(BlockCache cache, List<Volume> volumes, long seed) {
        this.cache = cache;
        this.volumes = volumes;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: CrashWriter CACHE_DIRECTORY OBJECTS_DIRECTORY SEED");
            System.exit(2);
        }
        // Never closed: the only way out is SIGKILL, or an exception that fails the test.
        BlockCache cache = BlockCache.open(CrashSetup.settings(Path.of(args[0])));
        List<Volume> volumes = CrashSetup.openVolumes(cache, Path.of(args[1]));
        new CrashWriter(cache, volumes, Long.parseLong(args[2])).run();
    }

    private void run() throws IOException {
        while (true) {
            Operation operation = next();
            log(operation.beginLine());
            String result = perform(operation);
            log(Operation.ackLine(operation.sequence(), result));
            sequence++;
        }
    }

    private void log(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private Operation next() {
        Volume cached = volume(CrashSetup.CACHED);
        if (cache.metrics().uploadBufferUsed() > UPLOAD_ABOVE) {
            Operation upload = upload(cached);
            if (upload != null) {
                return upload;
            }
        }
        Volume volume = volumes.get(random.nextInt(5) < 3 ? 0 : 1);
        int roll = random.nextInt(100);
        Operation chosen = null;
        if (roll < 10) {
            chosen = deallocate(volume);
        } else if (roll < 27) {
            chosen = upload(volume);
        } else if (roll < 29) {
            chosen = new Operation(sequence, Kind.FLUSH, volume.name(), 0, 0, 0, false);
        } else if (roll < 32) {
            chosen = new Operation(sequence, Kind.SNAPSHOT, volume.name(), 0, 0, 0, false);
        }
        return chosen != null ? chosen : write(volume);
    }

    private Volume volume(String name) {
        return volumes.stream().filter(volume -> volume.name().equals(name)).findFirst().orElseThrow();
    }

    /** Sizes: a sector inside a page, one page, 64 KiB on sector or page boundaries, 1 MiB across chunks. */
    private Operation write(Volume volume) {
        int roll = random.nextInt(100);
        int length;
        int alignment;
        if (roll < 30) {
            length = SECTOR;
            alignment = SECTOR;
        } else if (roll < 55) {
            length = PAGE;
            alignment = PAGE;
        } else if (roll < 75) {
            length = 64 << 10;
            alignment = SECTOR;
        } else if (roll < 88) {
            length = 64 << 10;
            alignment = PAGE;
        } else {
            length = CHUNK;
            alignment = SECTOR;
        }
        return new Operation(sequence, Kind.WRITE, volume.name(), offset(volume, length, alignment), length,
                random.nextLong(), random.nextInt(10) == 0);
    }

    private Operation deallocate(Volume volume) {
        int length = SECTOR * (1 + random.nextInt(6 * CHUNK / SECTOR));
        return new Operation(sequence, Kind.DEALLOCATE, volume.name(), offset(volume, length, SECTOR), length, 0,
                false);
    }

    /** Half the calls go to the first 8 MiB, so that writes overlap, tear pages and revisit uploaded chunks. */
    private long offset(Volume volume, int length, int alignment) {
        long span = random.nextBoolean() ? Math.min(8L << 20, volume.device().size()) : volume.device().size();
        long slots = (span - length) / alignment + 1;
        return (long) (random.nextDouble() * slots) * alignment;
    }

    /**
     * An upload of a dirty chunk from a random point on, or null when the volume has none; of its oldest frozen copy
     * when it has one, since that must go first.
     */
    private Operation upload(Volume volume) {
        long chunks = volume.device().size() / CHUNK;
        List<CachedVolume.DirtyChunk> dirty = volume.device().dirtyChunks(random.nextInt((int) chunks), 1);
        if (dirty.isEmpty()) {
            dirty = volume.device().dirtyChunks(0, 1);
        }
        if (dirty.isEmpty()) {
            return null;
        }
        long chunk = dirty.get(0).index();
        List<CachedVolume.FrozenChunkId> frozen = volume.device().frozenChunks(chunk, 1);
        if (!frozen.isEmpty() && frozen.get(0).index() == chunk) {
            return new Operation(sequence, Kind.UPLOAD_FROZEN, volume.name(), chunk * CHUNK, CHUNK,
                    frozen.get(0).generation(), false);
        }
        return new Operation(sequence, Kind.UPLOAD, volume.name(), chunk * CHUNK, CHUNK, 0, false);
    }

    private String perform(Operation operation) throws IOException {
        Volume volume = volume(operation.volume());
        CachedVolume device = volume.device();
        switch (operation.kind()) {
            case WRITE -> device.write(operation.offset(), ByteBuffer.wrap(operation.content()), operation.fua());
            case DEALLOCATE -> device.deallocate(operation.offset(), operation.length());
            case FLUSH -> device.flush();
            case UPLOAD -> {
                long chunk = operation.firstChunk(CHUNK);
                CachedVolume.ChunkImage image = device.readChunk(chunk);
                if (image.zero()) {
                    volume.objects().delete(chunk);
                } else {
                    volume.objects().put(chunk, image.data());
                }
                byte[] ref = image.zero() ? null : ObjectDirectory.refOf(chunk);
                return device.markUploaded(chunk, image.stamp(), ref) ? Operation.CLEANED : Operation.STILL_DIRTY;
            }
            case SNAPSHOT -> device.advanceGeneration();
            case UPLOAD_FROZEN -> {
                long chunk = operation.firstChunk(CHUNK);
                CachedVolume.ChunkImage image = device.readFrozen(chunk, operation.seed());
                // An object per chunk index: the frozen content replaces what the live chunk's pages it never held
                // came from, and those pages are the same in both (nothing wrote them since they left the cache).
                volume.objects().put(chunk, image.data());
                device.markFrozenUploaded(chunk, operation.seed(), ObjectDirectory.refOf(chunk));
            }
        }
        return Operation.DONE;
    }
}
