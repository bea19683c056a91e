package org.storagegateway.scsi.block;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sparse in-memory block device of up to {@value #MAX_SIZE_TIB} TiB whose footprint follows the data written: 64 KiB
 * pages in a two-level array (directories of 1 GiB made on first write). All-zero writes and deallocations free
 * whole pages, so a thin volume costs only what is not zero.
 *
 * <p>It runs on the network event loop ({@link #mayBlock()} is false): reads copy without locking; a write or
 * deallocation holds only the monitor of the one page it changes, so that a page is never freed while another write is
 * filling it. Memory is the medium itself, so there is no volatile write cache to flush.
 */
public final class MemoryBlockDevice implements BlockDevice {
    static final int MAX_SIZE_TIB = 32;
    /** The largest size this device takes: 32 TiB, the Storage Gateway cached-volume limit. */
    public static final long MAX_SIZE = (long) MAX_SIZE_TIB << 40;
    /** The allocation unit, and so the granularity of {@link #mapping}. */
    public static final int PAGE_SIZE = 1 << 16;

    private static final int PAGE_SHIFT = 16;
    private static final int DIRECTORY_SHIFT = 14;
    private static final int PAGES_PER_DIRECTORY = 1 << DIRECTORY_SHIFT;
    private static final int DIRECTORIES = (int) (MAX_SIZE >>> (PAGE_SHIFT + DIRECTORY_SHIFT));
    private static final byte[] ZEROS = new byte[PAGE_SIZE];

    /** One page; {@code freed} (guarded by the page's monitor) tells a writer that lost a race to look again. */
    private static final class Page {
        final byte[] data = new byte[PAGE_SIZE];
        boolean freed;
    }

    private final AtomicReferenceArray<AtomicReferenceArray<Page>> directories =
            new AtomicReferenceArray<>(DIRECTORIES);
    private final AtomicLong allocatedPages = new AtomicLong();
    private volatile long size;
    private volatile boolean closed;

    public MemoryBlockDevice(long size) {
        checkSize(size);
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    /** Bytes of page memory held now: what the written, non-zero data costs. */
    public long allocatedBytes() {
        return allocatedPages.get() * PAGE_SIZE;
    }

    @Override
    public void read(long offset, ByteBuffer destination) {
        checkOpen();
        Ranges.check(offset, destination.remaining(), size);
        long position = offset;
        while (destination.hasRemaining()) {
            long index = position >>> PAGE_SHIFT;
            int inPage = (int) (position & (PAGE_SIZE - 1));
            int n = Math.min(destination.remaining(), PAGE_SIZE - inPage);
            Page page = page(index);
            if (page == null) {
                destination.put(ZEROS, 0, n);
            } else {
                destination.put(page.data, inPage, n);
            }
            position += n;
        }
    }

    @Override
    public void write(long offset, ByteBuffer source, boolean forceUnitAccess) {
        checkOpen();
        Ranges.check(offset, source.remaining(), size);
        long position = offset;
        while (source.hasRemaining()) {
            long index = position >>> PAGE_SHIFT;
            int inPage = (int) (position & (PAGE_SIZE - 1));
            int n = Math.min(source.remaining(), PAGE_SIZE - inPage);
            writePage(index, inPage, source, n);
            source.position(source.position() + n);
            position += n;
        }
    }

    private void writePage(long index, int inPage, ByteBuffer source, int n) {
        boolean zero = Ranges.isZero(source, source.position(), n);
        AtomicReferenceArray<Page> directory = directory(index, !zero);
        if (directory == null) {
            return; // zeros over a directory never written: nothing to store
        }
        int slot = (int) (index & (PAGES_PER_DIRECTORY - 1));
        while (true) {
            Page page = directory.get(slot);
            if (page == null) {
                if (zero) {
                    return;
                }
                Page fresh = new Page();
                source.get(source.position(), fresh.data, inPage, n);
                if (directory.compareAndSet(slot, null, fresh)) {
                    allocatedPages.incrementAndGet();
                    return;
                }
                continue;
            }
            synchronized (page) {
                if (page.freed) {
                    continue;
                }
                source.get(source.position(), page.data, inPage, n);
                if (zero) {
                    freeIfZero(directory, slot, page);
                }
                return;
            }
        }
    }

    @Override
    public void deallocate(long offset, long length) {
        checkOpen();
        Ranges.check(offset, length, size);
        long position = offset;
        long end = offset + length;
        while (position < end) {
            long index = position >>> PAGE_SHIFT;
            int inPage = (int) (position & (PAGE_SIZE - 1));
            int n = (int) Math.min(end - position, PAGE_SIZE - inPage);
            AtomicReferenceArray<Page> directory = directory(index, false);
            if (directory != null) {
                clearPage(directory, (int) (index & (PAGES_PER_DIRECTORY - 1)), inPage, n);
            }
            position += n;
        }
    }

    private void clearPage(AtomicReferenceArray<Page> directory, int slot, int inPage, int n) {
        Page page = directory.get(slot);
        if (page == null) {
            return;
        }
        synchronized (page) {
            if (page.freed) {
                return; // freed meanwhile: the slot is null or holds a newer page written after this deallocation
            }
            Arrays.fill(page.data, inPage, inPage + n, (byte) 0);
            freeIfZero(directory, slot, page);
        }
    }

    // Called holding the page's monitor.
    private void freeIfZero(AtomicReferenceArray<Page> directory, int slot, Page page) {
        if (Arrays.mismatch(page.data, ZEROS) == -1) {
            page.freed = true;
            directory.compareAndSet(slot, page, null);
            allocatedPages.decrementAndGet();
        }
    }

    @Override
    public List<Extent> mapping(long offset, long maxLength, int maxExtents) {
        checkOpen();
        Ranges.check(offset, 0, size);
        long end = Math.min(size, offset + Math.max(0, Math.min(maxLength, size)));
        List<Extent> extents = new ArrayList<>();
        long position = offset;
        while (position < end && extents.size() < maxExtents) {
            long index = position >>> PAGE_SHIFT;
            boolean mapped = page(index) != null;
            long nextIndex = firstPageNot(mapped, index + 1, ((end - 1) >>> PAGE_SHIFT) + 1);
            long runEnd = Math.min(end, nextIndex << PAGE_SHIFT);
            extents.add(new Extent(position, runEnd - position, mapped));
            position = runEnd;
        }
        return extents;
    }

    /** The first page index in {@code [from, limit)} whose mapped state differs from {@code mapped}, else limit. */
    private long firstPageNot(boolean mapped, long from, long limit) {
        long index = from;
        while (index < limit) {
            AtomicReferenceArray<Page> directory = directories.get((int) (index >>> DIRECTORY_SHIFT));
            if (directory == null) {
                if (mapped) {
                    return index;
                }
                index = ((index >>> DIRECTORY_SHIFT) + 1) << DIRECTORY_SHIFT; // a whole unwritten GiB
                continue;
            }
            if ((directory.get((int) (index & (PAGES_PER_DIRECTORY - 1))) != null) != mapped) {
                return index;
            }
            index++;
        }
        return limit;
    }

    @Override
    public void flush() {
        checkOpen();
    }

    @Override
    public void resize(long newSize) {
        checkOpen();
        checkSize(newSize);
        synchronized (this) {
            if (newSize < size) {
                throw new IllegalArgumentException(
                        String.format("cannot shrink from %d to %d bytes", size, newSize));
            }
            size = newSize;
        }
    }

    @Override
    public boolean volatileWriteCache() {
        return false;
    }

    @Override
    public boolean mayBlock() {
        return false;
    }

    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < DIRECTORIES; i++) {
            directories.set(i, null);
        }
        allocatedPages.set(0);
    }

    private Page page(long index) {
        AtomicReferenceArray<Page> directory = directories.get((int) (index >>> DIRECTORY_SHIFT));
        return directory == null ? null : directory.get((int) (index & (PAGES_PER_DIRECTORY - 1)));
    }

    private AtomicReferenceArray<Page> directory(long pageIndex, boolean create) {
        int d = (int) (pageIndex >>> DIRECTORY_SHIFT);
        AtomicReferenceArray<Page> directory = directories.get(d);
        if (directory == null && create) {
            directories.compareAndSet(d, null, new AtomicReferenceArray<>(PAGES_PER_DIRECTORY));
            directory = directories.get(d);
        }
        return directory;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the memory block device is closed");
        }
    }

    private static void checkSize(long size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException(
                    String.format("size %d outside [0, %d] bytes", size, MAX_SIZE));
        }
    }
}
