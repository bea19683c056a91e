/**
 * The end-to-end harness ({@code ./gateway bench}): the appliance and its peers (tgt first) as child processes on
 * loopback, driven by the same clients nobody here wrote ({@code qemu-img bench}, {@code iscsi-perf},
 * {@code qemu-io}, {@code qemu-img convert}), alternating run by run; medians, ratios, peak RSS, heap and CPU per I/O
 * go to one results file and chart per scenario (memory: RESULTS.md; cache: RESULTS-cache.md). A new workload is a
 * {@link org.storagegateway.benchmarks.harness.Workload} constant; a new peer or client is one implementation of
 * {@code Peer} or {@code Client}; a new comparison is a {@code Scenario}.
 */
package org.storagegateway.benchmarks.harness;
