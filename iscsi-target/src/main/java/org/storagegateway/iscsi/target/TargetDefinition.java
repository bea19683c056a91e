package org.storagegateway.iscsi.target;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.storagegateway.scsi.ScsiTargetDevice;

/**
 * One iSCSI target on the portal: its name, who may log in, how they authenticate, and the SCSI target device that
 * serves its logical units.
 *
 * @param name              the iSCSI name, {@code iqn.} or {@code eui.} form (RFC 7143 §4.2.7)
 * @param alias             the TargetAlias sent at login, or null
 * @param allowedInitiators initiator names allowed to log in; empty allows every initiator
 * @param chap              the CHAP policy
 * @param device            the SCSI target device
 */
public record TargetDefinition(String name, String alias, Set<String> allowedInitiators, ChapPolicy chap,
                               ScsiTargetDevice device) {
    private static final Pattern ISCSI_NAME =
            Pattern.compile("(iqn\\.\\d{4}-\\d{2}\\.[a-z0-9][a-z0-9.\\-]*(:[\\x21-\\x7e]+)?|eui\\.[0-9A-F]{16}|naa\\.[0-9A-F]{16}([0-9A-F]{16})?)");

    public TargetDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chap, "chap");
        Objects.requireNonNull(device, "device");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("not a valid iSCSI target name (RFC 7143 §4.2.7): " + name);
        }
        allowedInitiators = Set.copyOf(allowedInitiators);
    }

    /** Whether {@code name} is a well-formed iSCSI name of at most 223 bytes (RFC 7143 §4.2.7). */
    public static boolean isValidName(String name) {
        return name != null && name.length() <= 223 && ISCSI_NAME.matcher(name).matches();
    }

    /** Whether the ACL lets this initiator in. iSCSI names compare case-insensitively after normalisation. */
    public boolean admits(String initiatorName) {
        if (allowedInitiators.isEmpty()) {
            return true;
        }
        for (String allowed : allowedInitiators) {
            if (allowed.equalsIgnoreCase(initiatorName)) {
                return true;
            }
        }
        return false;
    }
}
