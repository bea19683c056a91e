/**
 * Benchmarks and studies of the block cache ({@code org.storagegateway.cache}): reads and writes of a stored volume
 * through {@link org.storagegateway.cache.CachedVolume}, and the layout figures (chunk and page size) its defaults rest
 * on. benchmarks/results/CACHE-DESIGN.md has the results.
 */
package org.storagegateway.benchmarks.cache;
