package org.storagegateway.gateway.api;

/**
 * One volume as the volume operations describe it.
 *
 * @param volumeId         its id ({@code vol-} and 17 hex digits)
 * @param name             its name in the cache
 * @param stored           a stored volume (all data local), else cached
 * @param sizeBytes        its capacity
 * @param usedBytes        bytes of it the cache holds
 * @param targetName       the iSCSI target serving it
 * @param lun              its LUN there
 * @param networkInterface the address its creator named, or null (a configured volume)
 * @param sourceSnapshotId the snapshot it was made from, or null
 * @param createdAt        when it was made through the API, epoch milliseconds; 0 for a configured volume
 * @param configured       whether the configuration file defines it (so the API may not delete it)
 * @param attached         whether it is on its target (not detached)
 */
public record VolumeView(String volumeId, String name, boolean stored, long sizeBytes, long usedBytes,
                         String targetName, int lun, String networkInterface, String sourceSnapshotId,
                         long createdAt, boolean configured, boolean attached) {
}
