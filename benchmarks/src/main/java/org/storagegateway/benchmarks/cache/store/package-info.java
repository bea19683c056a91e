/**
 * Benchmarks and studies of the cache's storage layer ({@code org.storagegateway.cache.store}): the page codec, LZ4
 * on whole chunks, compression ratios, and RocksDB's own compression of the pages column family.
 */
package org.storagegateway.benchmarks.cache.store;
