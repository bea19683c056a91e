package org.storagegateway.scsi;

/** A command refused with RESERVATION CONFLICT status (SPC-4 §5.13), which carries no sense data. */
public final class ReservationConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReservationConflict(String why) {
        super(why, null, false, false);
    }
}
