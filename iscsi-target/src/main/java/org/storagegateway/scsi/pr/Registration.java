package org.storagegateway.scsi.pr;

import java.util.Objects;

/**
 * One registration (SPC-4 §5.13.7): a reservation key for the I_T nexuses it covers. Made with ALL_TG_PT it covers the
 * initiator port through every target port; made from a format 00b TransportID it covers every port of the initiator.
 * Identity matters: the reservation points at its holder's registration, whose key may change. Guarded by the lock of
 * {@link Reservations}.
 */
final class Registration {
    /** The relative target port identifier standing for "every target port" (ALL_TG_PT); 0 is reserved as an id. */
    static final int ALL_TARGET_PORTS = 0;

    private final TransportId initiator;
    private final int relativeTargetPortId;
    private long key;

    Registration(TransportId initiator, int relativeTargetPortId, long key) {
        this.initiator = Objects.requireNonNull(initiator, "initiator");
        if (relativeTargetPortId < ALL_TARGET_PORTS || relativeTargetPortId > 0xFFFF) {
            throw new IllegalArgumentException("relative target port id out of range: " + relativeTargetPortId);
        }
        this.relativeTargetPortId = relativeTargetPortId;
        this.key = requireKey(key);
    }

    TransportId initiator() {
        return initiator;
    }

    int relativeTargetPortId() {
        return relativeTargetPortId;
    }

    boolean allTargetPorts() {
        return relativeTargetPortId == ALL_TARGET_PORTS;
    }

    long key() {
        return key;
    }

    void key(long newKey) {
        key = requireKey(newKey);
    }

    boolean covers(NexusIdentity nexus) {
        return initiator.covers(nexus.initiatorPort())
                && (allTargetPorts() || relativeTargetPortId == nexus.relativeTargetPortId());
    }

    /** Whether some I_T nexus is covered by both registrations; registrations never overlap. */
    boolean overlaps(Registration other) {
        return initiator.overlaps(other.initiator) && (allTargetPorts() || other.allTargetPorts()
                || relativeTargetPortId == other.relativeTargetPortId);
    }

    // A registration holds a non-zero key: zero in SERVICE ACTION RESERVATION KEY means "unregister" (SPC-4 §6.16.3).
    private static long requireKey(long key) {
        if (key == 0) {
            throw new IllegalArgumentException("a registered reservation key is never zero");
        }
        return key;
    }

    @Override
    public String toString() {
        return String.format("%s@%s key 0x%016x", initiator, allTargetPorts() ? "all" : relativeTargetPortId, key);
    }
}
