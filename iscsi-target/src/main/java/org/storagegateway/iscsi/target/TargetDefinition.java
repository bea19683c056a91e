package org.storagegateway.iscsi.target;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.storagegateway.scsi.ScsiTargetDevice;

/**
 * One iSCSI target on the portal: its name, who may log in, how they authenticate, and the SCSI target device that
 * serves its logical units.
 *
 * @param name              the iSCSI name, {@code iqn.} or {@code eui.} form (RFC 7143 §4.2.7)
 * @param alias             the TargetAlias sent at login, or null
 * @param allowedInitiators initiator names allowed to log in; empty allows every initiator
 * @param chap              the CHAP policy of initiators without one of their own
 * @param device            the SCSI target device
 * @param initiatorChap     CHAP policies of particular initiators, by lower-case initiator name: AWS Storage
 *                          Gateway keeps CHAP secrets per initiator and target, and the management API sets them
 */
public record TargetDefinition(String name, String alias, Set<String> allowedInitiators, ChapPolicy chap,
                               ScsiTargetDevice device, Map<String, ChapPolicy> initiatorChap) {
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
        Map<String, ChapPolicy> normalised = new TreeMap<>();
        initiatorChap.forEach((initiator, policy) -> normalised.put(initiator.toLowerCase(Locale.ROOT),
                Objects.requireNonNull(policy, "policy")));
        initiatorChap = Map.copyOf(normalised);
    }

    /** A target whose initiators all share one CHAP policy. */
    public TargetDefinition(String name, String alias, Set<String> allowedInitiators, ChapPolicy chap,
                            ScsiTargetDevice device) {
        this(name, alias, allowedInitiators, chap, device, Map.of());
    }

    /** The CHAP policy an initiator logs in under: its own if it has one, else the target's. */
    public ChapPolicy chapFor(String initiatorName) {
        return initiatorChap.getOrDefault(initiatorName.toLowerCase(Locale.ROOT), chap);
    }

    /** The same target with other per-initiator CHAP policies. */
    public TargetDefinition withInitiatorChap(Map<String, ChapPolicy> policies) {
        return new TargetDefinition(name, alias, allowedInitiators, chap, device, policies);
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
