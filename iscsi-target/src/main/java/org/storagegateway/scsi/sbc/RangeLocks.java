package org.storagegateway.scsi.sbc;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks over block ranges, so that COMPARE AND WRITE is atomic against writes to the same blocks (SBC-3
 * §5.2). The LBA space is cut into granules striped over 64 locks; a range takes the locks of its granules in
 * ascending stripe order (one 64-bit mask), so two ranges never deadlock. Holders only copy memory or do one I/O, so a
 * waiter on an event-loop thread waits microseconds.
 */
final class RangeLocks {
    private static final int STRIPES = Long.SIZE;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final int granuleShift;

    /** @param granuleBlocks blocks per granule, a power of two */
    RangeLocks(int granuleBlocks) {
        if (Integer.bitCount(granuleBlocks) != 1) {
            throw new IllegalArgumentException("granule must be a power of two, was " + granuleBlocks);
        }
        this.granuleShift = Integer.numberOfTrailingZeros(granuleBlocks);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Locks {@code [lba, lba + blocks)} and returns the mask to hand to {@link #unlock}. */
    long lock(long lba, long blocks) {
        long mask = stripes(lba, blocks);
        for (long m = mask; m != 0; m &= m - 1) {
            locks[Long.numberOfTrailingZeros(m)].lock();
        }
        return mask;
    }

    void unlock(long mask) {
        for (long m = mask; m != 0; m &= m - 1) {
            locks[Long.numberOfTrailingZeros(m)].unlock();
        }
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
