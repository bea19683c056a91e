/**
 * Benchmarks (a later issue): JMH micro-benchmarks for the hot paths, in packages mirroring the main code, and the
 * end-to-end harness that runs the same clients against the appliance and its peers (tgt first), side by side.
 */
package org.storagegateway.benchmarks;
