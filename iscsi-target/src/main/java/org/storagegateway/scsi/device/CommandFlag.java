package org.storagegateway.scsi.device;

/** Properties of a command that the dispatcher's shared checks consult. */
public enum CommandFlag {
    /** Runs even when a unit attention is pending, without reporting it (SAM-5 §5.14: INQUIRY, REPORT LUNS, REQUEST SENSE). */
    IGNORES_UNIT_ATTENTION,
    /** Also runs on a LUN with no logical unit (REPORT LUNS, REQUEST SENSE, INQUIRY) (SPC-4 §4.6.2). */
    ANY_LUN,
    /** Allowed whatever the persistent reservation held by another nexus (SPC-4 §5.13.1, table 62 "Allowed" in all). */
    ALLOWED_UNDER_ANY_RESERVATION,
    /** Allowed under Write Exclusive reservations of others, conflicts under Exclusive Access (reads). */
    ALLOWED_UNDER_WRITE_EXCLUSIVE,
    /** Allowed while another nexus holds a RESERVE(6) reservation (SPC-2 §5.5.1). */
    ALLOWED_UNDER_RESERVE6,
    /** Moves data from the initiator (data-out). */
    DATA_OUT,
    /** Moves data to the initiator (data-in). */
    DATA_IN
}
