/**
 * Benchmarks and studies of the cache's policies ({@code org.storagegateway.cache.policy}): the clean-chunk index's
 * W-TinyLFU against plain LRU, by hit ratio on simulated chunk access traces and by the cost of an access.
 */
package org.storagegateway.benchmarks.cache.policy;
