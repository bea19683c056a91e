/** The cache's in-memory policies: the hot tier, the clean-chunk eviction index, upload buffer backpressure, locks. */
package org.storagegateway.cache.policy;
