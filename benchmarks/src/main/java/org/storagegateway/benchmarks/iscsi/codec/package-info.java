/**
 * JMH benchmarks of the iSCSI codec ({@code org.storagegateway.iscsi.codec}): framing and digest checking of a write's
 * PDU stream, encoding of Data-In PDUs, and the CRC32C digest itself, each over the buffer kinds Netty hands them.
 */
package org.storagegateway.benchmarks.iscsi.codec;
