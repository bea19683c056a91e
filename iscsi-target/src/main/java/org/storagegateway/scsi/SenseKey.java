package org.storagegateway.scsi;

/** Sense keys (SPC-4 §4.5.6, table 43), each with its wire code. */
public enum SenseKey {
    NO_SENSE(0x0),
    RECOVERED_ERROR(0x1),
    NOT_READY(0x2),
    MEDIUM_ERROR(0x3),
    HARDWARE_ERROR(0x4),
    ILLEGAL_REQUEST(0x5),
    UNIT_ATTENTION(0x6),
    DATA_PROTECT(0x7),
    BLANK_CHECK(0x8),
    VENDOR_SPECIFIC(0x9),
    COPY_ABORTED(0xA),
    ABORTED_COMMAND(0xB),
    VOLUME_OVERFLOW(0xD),
    MISCOMPARE(0xE),
    COMPLETED(0xF);

    private static final SenseKey[] BY_CODE = new SenseKey[16];

    static {
        for (SenseKey key : values()) {
            BY_CODE[key.code] = key;
        }
    }

    private final int code;

    SenseKey(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Looks a key up by its wire code, rejecting codes SPC-4 reserves. */
    public static SenseKey fromCode(int code) {
        SenseKey key = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (key == null) {
            throw new IllegalArgumentException(String.format("sense key 0x%x is reserved", code));
        }
        return key;
    }
}
