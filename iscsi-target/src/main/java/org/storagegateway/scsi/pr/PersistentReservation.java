package org.storagegateway.scsi.pr;

import java.util.Objects;

/**
 * The persistent reservation of a logical unit (SPC-4 §5.13.9), always LU_SCOPE. For All Registrants types every
 * registrant holds it and {@code holder} is null; otherwise the holder is the I_T nexus through which it was made: the
 * holder's registration together with the target port it came through (a registration may span all target ports).
 */
record PersistentReservation(ReservationType type, Registration holder, int holderTargetPortId) {
    PersistentReservation {
        Objects.requireNonNull(type, "type");
        if (type.everyRegistrantHolds() != (holder == null)) {
            throw new IllegalArgumentException("an " + type + " reservation " + (holder == null ? "needs" : "has no")
                    + " single holder");
        }
    }

    static PersistentReservation ofEveryRegistrant(ReservationType type) {
        return new PersistentReservation(type, null, Registration.ALL_TARGET_PORTS);
    }

    /** The reservation key READ RESERVATION reports: zero for All Registrants types (SPC-4 §6.15.3). */
    long reportedKey() {
        return holder == null ? 0 : holder.key();
    }

    /** Whether this is the holder's registration (every registration, for All Registrants types). */
    boolean heldThrough(Registration registration) {
        return holder == null || holder == registration;
    }
}
