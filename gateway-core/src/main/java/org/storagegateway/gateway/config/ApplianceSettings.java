package org.storagegateway.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * A validated configuration with every default filled in: what the appliance runs from.
 *
 * @param dataDirectory    where backing files and the gateway identity live
 * @param bindAddress      the portal's listening address
 * @param port             the portal's TCP port (0 picks a free one)
 * @param advertise        the portal addresses SendTargets reports ({@code host:port}); empty means the bound one
 * @param maxTransferBytes the most data one SCSI command may move
 * @param targets          the targets
 */
public record ApplianceSettings(Path dataDirectory, String bindAddress, int port, List<String> advertise,
                                long maxTransferBytes, List<TargetSettings> targets) {

    public ApplianceSettings {
        advertise = List.copyOf(advertise);
        targets = List.copyOf(targets);
    }

    /** A copy listening elsewhere (the command line overrides the file). */
    public ApplianceSettings withPortal(String newBindAddress, int newPort) {
        return new ApplianceSettings(dataDirectory, newBindAddress, newPort, advertise, maxTransferBytes, targets);
    }

    /** A copy keeping its data elsewhere. */
    public ApplianceSettings withDataDirectory(Path newDataDirectory) {
        return new ApplianceSettings(newDataDirectory, bindAddress, port, advertise, maxTransferBytes, targets);
    }

    /** One target, validated. */
    public record TargetSettings(String name, String alias, Set<String> allowedInitiators, ChapPolicy chap,
                                 List<DiskSettings> luns) {
        public TargetSettings {
            allowedInitiators = Set.copyOf(allowedInitiators);
            luns = List.copyOf(luns);
        }
    }

    /** Where a disk's blocks live. */
    public enum Backing {
        /** In memory, sparse: fast, gone when the process ends. */
        MEMORY,
        /** A sparse file under the data directory. */
        FILE
    }

    /** One disk logical unit, validated. */
    public record DiskSettings(int lun, long sizeBytes, int blockSize, Backing backing, Path file, boolean readOnly) {
    }
}
