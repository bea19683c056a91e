/**
 * JMH benchmarks of the SCSI layer ({@code org.storagegateway.scsi}): CDB parsing and dispatch through
 * {@link org.storagegateway.scsi.ScsiTarget#execute} to a memory-backed disk, with no transport in the way.
 */
package org.storagegateway.benchmarks.scsi;
