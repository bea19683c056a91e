/**
 * The end-to-end harness ({@code ./gateway bench}): the appliance and its peers (tgt first) as child processes on
 * loopback, driven by the same clients nobody here wrote ({@code qemu-img bench}, {@code iscsi-perf},
 * {@code qemu-io}), alternating run by run; medians, ratios, peak RSS and CPU per I/O go to RESULTS.md and a chart.
 * A new workload is a {@link org.storagegateway.benchmarks.harness.Workload} constant; a new peer or client is one
 * implementation of {@code Peer} or {@code Client}.
 */
package org.storagegateway.benchmarks.harness;
