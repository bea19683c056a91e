package org.storagegateway.scsi.sense;

/** The two sense data formats (SPC-4 §4.5.1): the control mode page's D_SENSE bit chooses between them. */
public enum SenseFormat {
    /** Fixed format, response code 70h (SPC-4 §4.5.3). */
    FIXED(0x70),
    /** Descriptor format, response code 72h (SPC-4 §4.5.2). */
    DESCRIPTOR(0x72);

    private final int responseCode;

    SenseFormat(int responseCode) {
        this.responseCode = responseCode;
    }

    /** The RESPONSE CODE for current errors in this format. */
    public int responseCode() {
        return responseCode;
    }
}
