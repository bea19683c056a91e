package org.storagegateway.cache.policy;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Striped read/write locks over chunk ids: readers of a chunk share, a writer (or evictor, or fetch) of a chunk
 * excludes them. Several stripes are always taken in ascending order, so writers spanning chunks cannot deadlock.
 */
public final class ChunkLocks {
    private final ReentrantReadWriteLock[] stripes;

    public ChunkLocks(int stripes) {
        this.stripes = new ReentrantReadWriteLock[Integer.highestOneBit(stripes)];
        for (int i = 0; i < this.stripes.length; i++) {
            this.stripes[i] = new ReentrantReadWriteLock();
        }
    }

    private int stripe(long chunkId) {
        long h = chunkId * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (stripes.length - 1);
    }

    public ReentrantReadWriteLock of(long chunkId) {
        return stripes[stripe(chunkId)];
    }

    /** Write-locks the stripes of every id given and returns them, for {@link #unlock}. */
    public int[] lockAll(long[] chunkIds, int count) {
        int[] taken = new int[count];
        for (int i = 0; i < count; i++) {
            taken[i] = stripe(chunkIds[i]);
        }
        Arrays.sort(taken);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (i == 0 || taken[i] != taken[i - 1]) {
                taken[distinct++] = taken[i];
            }
        }
        int[] result = Arrays.copyOf(taken, distinct);
        for (int stripe : result) {
            stripes[stripe].writeLock().lock();
        }
        return result;
    }

    /**
     * Write-locks every stripe, in order, and returns them for {@link #unlock}: nothing else holds a chunk lock
     * until then (a snapshot's instant).
     */
    public int[] lockEverything() {
        int[] all = new int[stripes.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
            stripes[i].writeLock().lock();
        }
        return all;
    }

    public void unlock(int[] taken) {
        for (int i = taken.length - 1; i >= 0; i--) {
            stripes[taken[i]].writeLock().unlock();
        }
    }
}
