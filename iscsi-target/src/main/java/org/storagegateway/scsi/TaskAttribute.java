package org.storagegateway.scsi;

/** Task attributes (SAM-5 §8.6), coded as in the iSCSI SCSI Command PDU ATTR field (RFC 7143 §11.3.1.3). */
public enum TaskAttribute {
    UNTAGGED(0),
    SIMPLE(1),
    ORDERED(2),
    HEAD_OF_QUEUE(3),
    ACA(4);

    private final int code;

    TaskAttribute(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Looks an attribute up by its ATTR code; codes 5–7 are reserved and rejected. */
    public static TaskAttribute fromCode(int code) {
        for (TaskAttribute attribute : values()) {
            if (attribute.code == code) {
                return attribute;
            }
        }
        throw new IllegalArgumentException(String.format("task attribute %d is reserved", code));
    }
}
