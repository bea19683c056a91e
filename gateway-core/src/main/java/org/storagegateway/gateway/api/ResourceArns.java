package org.storagegateway.gateway.api;

import java.util.Optional;

import org.storagegateway.gateway.snapshot.ResourceIds;

/**
 * The ARNs of a gateway's resources, as AWS forms them: the gateway's ARN, then {@code /volume/vol-...} for a volume
 * or {@code /target/<iSCSI name>} for a target; and back from an ARN to the id or name it carries.
 */
public record ResourceArns(String gatewayArn) {
    private static final String VOLUME = "/volume/";
    private static final String TARGET = "/target/";

    public String volume(String volumeId) {
        return gatewayArn + VOLUME + volumeId;
    }

    public String target(String targetName) {
        return gatewayArn + TARGET + targetName;
    }

    /** What a volume ARN of this gateway looks like, for error messages. */
    public String volumePattern() {
        return gatewayArn + VOLUME + "vol-...";
    }

    /** The volume id an ARN names, or empty when it is no volume ARN of this gateway. */
    public Optional<String> volumeId(String arn) {
        String prefix = gatewayArn + VOLUME;
        String volumeId = arn.startsWith(prefix) ? arn.substring(prefix.length()) : "";
        return ResourceIds.isVolumeId(volumeId) ? Optional.of(volumeId) : Optional.empty();
    }

    /** The target name an ARN names, or empty when it is no target ARN of this gateway. */
    public Optional<String> targetName(String arn) {
        String prefix = gatewayArn + TARGET;
        return arn.startsWith(prefix) ? Optional.of(arn.substring(prefix.length())) : Optional.empty();
    }
}
