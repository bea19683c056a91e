/** The cache's persistence: RocksDB column families, key layout, the page codec, chunk and volume records. */
package org.storagegateway.cache.store;
