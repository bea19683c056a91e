/**
 * JMH benchmarks of a full-feature iSCSI connection ({@code org.storagegateway.iscsi.session}) held in an
 * {@link io.netty.channel.embedded.EmbeddedChannel}: the real decoder, session handler, SCSI target and encoder, with
 * no socket, so what is measured is the target's own work per command.
 */
package org.storagegateway.benchmarks.iscsi.session;
