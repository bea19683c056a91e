/**
 * The local block store: volumes as LZ4-compressed pages in RocksDB, grouped in chunks keyed by (volume, chunk index)
 * that carry durable dirty marks; a Caffeine tier of hot decompressed pages; eviction of clean chunks of cached
 * volumes within a capacity, stored volumes pinned; upload buffer backpressure. {@link
 * org.storagegateway.cache.BlockCache} is the entry point, {@link org.storagegateway.cache.CachedVolume} a volume as a
 * block device.
 */
package org.storagegateway.cache;
