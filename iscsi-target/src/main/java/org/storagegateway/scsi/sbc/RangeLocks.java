package org.storagegateway.scsi.sbc;

import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * Locks over block ranges, so that COMPARE AND WRITE is atomic against writes to the same blocks (SBC-3 §5.2) and
 * WRITE ATOMIC is atomic against readers as well (SBC-4 §4.29: a read sees all of an atomic write or none of it).
 * The LBA space is cut into granules striped over 64 stamped locks; a range takes the locks of its granules in
 * ascending stripe order (one 64-bit mask), so two ranges never deadlock. Writers hold the stripes exclusively; readers
 * copy optimistically and validate afterwards, taking the stripes shared only when a writer got in the way, so a read
 * costs a few volatile loads unless it overlaps a write. Holders only copy memory or do one I/O, so a waiter on an
 * event-loop thread waits microseconds. The locks are not reentrant: a writer must not read through {@link #read}.
 */
final class RangeLocks {
    private static final int STRIPES = Long.SIZE;
    private final StampedLock[] locks = new StampedLock[STRIPES];
    private final int granuleShift;

    /** @param granuleBlocks blocks per granule, a power of two */
    RangeLocks(int granuleBlocks) {
        if (Integer.bitCount(granuleBlocks) != 1) {
            throw new IllegalArgumentException("granule must be a power of two, was " + granuleBlocks);
        }
        this.granuleShift = Integer.numberOfTrailingZeros(granuleBlocks);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new StampedLock();
        }
    }

    /** Locks {@code [lba, lba + blocks)} exclusively and returns the mask to hand to {@link #unlock}. */
    long lock(long lba, long blocks) {
        long mask = stripes(lba, blocks);
        for (long m = mask; m != 0; m &= m - 1) {
            locks[Long.numberOfTrailingZeros(m)].asWriteLock().lock();
        }
        return mask;
    }

    void unlock(long mask) {
        for (long m = mask; m != 0; m &= m - 1) {
            locks[Long.numberOfTrailingZeros(m)].asWriteLock().unlock();
        }
    }

    /**
     * Runs {@code reader} over {@code [lba, lba + blocks)} so that it sees no locked write half done: first without
     * locking, keeping the result only if no writer held or took one of the range's stripes meanwhile; otherwise again
     * under shared locks. The reader must tolerate seeing torn data on the first try (it is thrown away).
     */
    <T> T read(long lba, long blocks, Supplier<T> reader) {
        long mask = stripes(lba, blocks);
        long[] stamps = new long[Long.bitCount(mask)];
        boolean free = true;
        int i = 0;
        for (long m = mask; m != 0; m &= m - 1) {
            stamps[i] = locks[Long.numberOfTrailingZeros(m)].tryOptimisticRead();
            free &= stamps[i++] != 0;
        }
        if (free) {
            T result = reader.get();
            if (validate(mask, stamps)) {
                return result;
            }
        }
        for (long m = mask; m != 0; m &= m - 1) {
            locks[Long.numberOfTrailingZeros(m)].asReadLock().lock();
        }
        try {
            return reader.get();
        } finally {
            for (long m = mask; m != 0; m &= m - 1) {
                locks[Long.numberOfTrailingZeros(m)].asReadLock().unlock();
            }
        }
    }

    private boolean validate(long mask, long[] stamps) {
        int i = 0;
        for (long m = mask; m != 0; m &= m - 1) {
            if (!locks[Long.numberOfTrailingZeros(m)].validate(stamps[i++])) {
                return false;
            }
        }
        return true;
    }

    private long stripes(long lba, long blocks) {
        if (blocks <= 0) {
            return 0;
        }
        long first = lba >>> granuleShift;
        long last = (lba + blocks - 1) >>> granuleShift;
        if (last - first + 1 >= STRIPES) {
            return -1L;
        }
        long mask = 0;
        for (long g = first; g <= last; g++) {
            mask |= 1L << (g % STRIPES);
        }
        return mask;
    }
}
