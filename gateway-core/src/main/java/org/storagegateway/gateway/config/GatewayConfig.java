package org.storagegateway.gateway.config;

import java.util.List;

/**
 * The appliance's configuration file, as written (YAML). {@link ConfigLoader} reads and validates it; fields left out
 * take the defaults the README documents.
 *
 * @param dataDirectory where disk images and the gateway's identity live; relative to the working directory
 * @param portal        the iSCSI portal
 * @param targets       the iSCSI targets and their logical units
 */
public record GatewayConfig(String dataDirectory, Portal portal, List<Target> targets) {

    /** The iSCSI portal: where it listens and what it advertises in SendTargets. */
    public record Portal(String bind, Integer port, List<String> advertise, String maxTransferSize) {
    }

    /** One iSCSI target: a name, who may log in, CHAP, and its logical units. */
    public record Target(String name, String alias, List<String> allowedInitiators, Chap chap, List<Lun> luns) {
    }

    /** CHAP credentials: initiator user and secret for one-way, plus the target's for mutual CHAP. */
    public record Chap(String user, String secret, String mutualUser, String mutualSecret) {
    }

    /**
     * One disk logical unit.
     *
     * @param lun       the LUN number
     * @param size      the capacity, e.g. {@code 1GiB}
     * @param blockSize the logical block size, 512 or 4096
     * @param physicalBlockSize the physical block size: blockSize (the default) or a power-of-two multiple of it,
     *                  e.g. 4096 on 512-byte blocks for a 512e disk
     * @param backing   {@code memory} (lost on exit) or {@code file} (a sparse file under the data directory)
     * @param file      the backing file name for {@code file}, relative to the data directory
     * @param readOnly  whether writes are refused (DATA PROTECT)
     */
    public record Lun(Integer lun, String size, Integer blockSize, Integer physicalBlockSize, String backing,
                      String file, Boolean readOnly) {
    }
}
