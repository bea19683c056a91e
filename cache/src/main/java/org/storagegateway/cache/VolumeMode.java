package org.storagegateway.cache;

/** How a volume uses the cache. */
public enum VolumeMode {
    /** All data in the cache, never evicted; the object store gets snapshots (AWS's stored volumes). */
    STORED,
    /** Data in the object store, hot chunks in the cache; clean chunks may be evicted (AWS's cached volumes). */
    CACHED
}
