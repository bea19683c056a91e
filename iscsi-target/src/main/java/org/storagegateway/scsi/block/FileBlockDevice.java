package org.storagegateway.scsi.block;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A block device in a sparse file, through {@link FileChannel} positional I/O. Writes land in the operating system's
 * page cache, so the device reports a volatile write cache; FUA and {@link #flush()} call {@code force(false)}.
 *
 * <p>Provisioning is tracked in memory, one bit per {@value #CHUNK_SIZE_MIB} MiB chunk, because Java offers neither
 * {@code SEEK_DATA} nor {@code fallocate(PUNCH_HOLE)}. A chunk is mapped once anything but zeros was written to it
 * while unmapped; deallocating a whole chunk overwrites it with zeros (the file keeps its disk blocks, since no hole
 * can be punched from Java) and clears its bit; deallocating part of a chunk overwrites just that part. Reads of an
 * unmapped chunk return zeros without touching the disk. The bitmap is not persisted: when an existing file is
 * opened, every chunk below its length is reported mapped, which is never wrong about data, only conservative.
 */
public final class FileBlockDevice implements BlockDevice {
    static final int CHUNK_SIZE_MIB = 1;
    /** The provisioning granularity, and so the granularity of {@link #mapping}. */
    public static final int CHUNK_SIZE = CHUNK_SIZE_MIB << 20;

    private static final int CHUNK_SHIFT = 20;
    private static final int STRIPES = 256;
    private static final byte[] ZEROS = new byte[CHUNK_SIZE];

    private final RandomAccessFile file;
    private final FileChannel channel;
    private final BitSet mapped = new BitSet(); // guarded by itself
    private final Object[] stripes = new Object[STRIPES];
    private volatile long size;

    private FileBlockDevice(RandomAccessFile file, long size) throws IOException {
        this.file = file;
        this.channel = file.getChannel();
        long existing = file.length();
        if (existing > 0) {
            mapped.set(0, chunkCount(existing));
        }
        if (existing < size) {
            file.setLength(size);
        }
        this.size = size;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Opens (creating if absent) the file at {@code path} as a device of {@code size} bytes, extending the file sparsely
     * when it is shorter; a longer file is refused, since its tail would be lost.
     */
    public static FileBlockDevice open(Path path, long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        try {
            if (file.length() > size) {
                throw new IllegalArgumentException(String.format(
                        "%s holds %d bytes, more than the requested size %d", path, file.length(), size));
            }
            return new FileBlockDevice(file, size);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long offset, ByteBuffer destination) throws IOException {
        Ranges.check(offset, destination.remaining(), size);
        long position = offset;
        while (destination.hasRemaining()) {
            int n = portion(position, destination.remaining());
            if (!isMapped(position >>> CHUNK_SHIFT)) {
                Ranges.putZeros(destination, n, ZEROS);
            } else {
                readFully(position, destination, n);
            }
            position += n;
        }
    }

    private void readFully(long position, ByteBuffer destination, int n) throws IOException {
        int limit = destination.limit();
        destination.limit(destination.position() + n);
        try {
            long at = position;
            while (destination.hasRemaining()) {
                int read = channel.read(destination, at);
                if (read < 0) {
                    Ranges.putZeros(destination, destination.remaining(), ZEROS); // past EOF: a sparse tail
                    break;
                }
                at += read;
            }
        } finally {
            destination.limit(limit);
        }
    }

    @Override
    public void write(long offset, ByteBuffer source, boolean forceUnitAccess) throws IOException {
        Ranges.check(offset, source.remaining(), size);
        long position = offset;
        while (source.hasRemaining()) {
            int n = portion(position, source.remaining());
            long chunk = position >>> CHUNK_SHIFT;
            ByteBuffer piece = source.slice(source.position(), n);
            synchronized (stripe(chunk)) {
                // Zeros over an unmapped chunk change nothing: it already reads as zeros.
                if (isMapped(chunk) || !Ranges.isZero(piece, 0, n)) {
                    writeFully(position, piece);
                    setMapped(chunk, true);
                }
            }
            source.position(source.position() + n);
            position += n;
        }
        if (forceUnitAccess) {
            channel.force(false);
        }
    }

    @Override
    public void deallocate(long offset, long length) throws IOException {
        Ranges.check(offset, length, size);
        long position = offset;
        long end = offset + length;
        while (position < end) {
            int n = portion(position, end - position);
            long chunk = position >>> CHUNK_SHIFT;
            synchronized (stripe(chunk)) {
                if (isMapped(chunk)) {
                    writeFully(position, ByteBuffer.wrap(ZEROS, 0, n));
                    if (n == CHUNK_SIZE || (position % CHUNK_SIZE == 0 && position + n == size)) {
                        setMapped(chunk, false);
                    }
                }
            }
            position += n;
        }
    }

    @Override
    public List<Extent> mapping(long offset, long maxLength, int maxExtents) {
        Ranges.check(offset, 0, size);
        long end = Math.min(size, offset + Math.max(0, Math.min(maxLength, size)));
        List<Extent> extents = new ArrayList<>();
        long position = offset;
        while (position < end && extents.size() < maxExtents) {
            long chunk = position >>> CHUNK_SHIFT;
            boolean isMapped;
            long next;
            synchronized (mapped) {
                isMapped = mapped.get((int) chunk);
                next = isMapped ? mapped.nextClearBit((int) chunk) : mapped.nextSetBit((int) chunk);
            }
            long runEnd = next < 0 ? end : Math.min(end, next << CHUNK_SHIFT);
            extents.add(new Extent(position, runEnd - position, isMapped));
            position = runEnd;
        }
        return extents;
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public synchronized void resize(long newSize) throws IOException {
        if (newSize < size) {
            throw new IllegalArgumentException(String.format("cannot shrink from %d to %d bytes", size, newSize));
        }
        file.setLength(newSize);
        channel.force(true); // the new length is metadata
        size = newSize;
    }

    @Override
    public boolean volatileWriteCache() {
        return true;
    }

    @Override
    public boolean mayBlock() {
        return true;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private void writeFully(long position, ByteBuffer data) throws IOException {
        long at = position;
        while (data.hasRemaining()) {
            at += channel.write(data, at);
        }
    }

    private static int portion(long position, long remaining) {
        long toChunkEnd = CHUNK_SIZE - (position & (CHUNK_SIZE - 1));
        return (int) Math.min(remaining, toChunkEnd);
    }

    private Object stripe(long chunk) {
        return stripes[(int) (chunk % STRIPES)];
    }

    private boolean isMapped(long chunk) {
        synchronized (mapped) {
            return mapped.get(Math.toIntExact(chunk));
        }
    }

    private void setMapped(long chunk, boolean value) {
        synchronized (mapped) {
            mapped.set(Math.toIntExact(chunk), value);
        }
    }

    private static int chunkCount(long bytes) {
        return Math.toIntExact((bytes + CHUNK_SIZE - 1) >>> CHUNK_SHIFT);
    }
}
