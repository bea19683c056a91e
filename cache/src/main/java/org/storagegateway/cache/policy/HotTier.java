package org.storagegateway.cache.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Decompressed pages in heap, bounded in bytes (Caffeine, W-TinyLFU: a scan does not flush the hot set). Keys pack a
 * volume id and a page index; callers invalidate a page before its new content is committed.
 */
public final class HotTier {
    /** Caffeine's own bookkeeping per entry, roughly, so that the bound holds for small pages too. */
    private static final int ENTRY_OVERHEAD = 96;
    private final Cache<Long, byte[]> pages;
    private final boolean enabled;

    public HotTier(long maxBytes) {
        this.enabled = maxBytes > 0;
        this.pages = Caffeine.newBuilder()
                .maximumWeight(Math.max(maxBytes, 1))
                .weigher((Long key, byte[] page) -> page.length + ENTRY_OVERHEAD)
                .executor(Runnable::run)
                .build();
    }

    public static long key(int volume, long page) {
        return (long) volume << 40 | page;
    }

    /** The page, or null. The array is shared: callers copy from it and never change it. */
    public byte[] get(long key) {
        return enabled ? pages.getIfPresent(key) : null;
    }

    public void put(long key, byte[] page) {
        if (enabled) {
            pages.put(key, page);
        }
    }

    public void invalidate(long key) {
        if (enabled) {
            pages.invalidate(key);
        }
    }

    /** Drops pages {@code [from, to)} of a volume. */
    public void invalidate(int volume, long from, long to) {
        if (enabled) {
            for (long page = from; page < to; page++) {
                pages.invalidate(key(volume, page));
            }
        }
    }

    /** Drops every page of a volume. */
    public void invalidateVolume(int volume) {
        if (enabled) {
            pages.asMap().keySet().removeIf(key -> key >>> 40 == volume);
        }
    }

    /** Bytes held, by the weigher. */
    public long weightedBytes() {
        return pages.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
