/**
 * The local block store (a later issue): LZ4-compressed chunks in RocksDB keyed by (volume, chunk index), a Caffeine
 * tier of hot decompressed chunks, durable dirty tracking for the uploader, eviction of clean chunks only, pinning for
 * stored volumes and upload-buffer backpressure. Until then the disk device runs on the in-memory and file-backed
 * block devices of {@code iscsi-target}.
 */
package org.storagegateway.cache;
