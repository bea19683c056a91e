package org.storagegateway.iscsi.pdu;

/** Logout reason codes (RFC 7143 §11.14.1), with their wire codes. */
public enum LogoutReason {
    CLOSE_SESSION(0),
    CLOSE_CONNECTION(1),
    REMOVE_CONNECTION_FOR_RECOVERY(2);

    private final int code;

    LogoutReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Looks a reason up by its wire code, rejecting reserved codes. */
    public static LogoutReason fromCode(int code) {
        for (LogoutReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new IllegalArgumentException("logout reason " + code + " is reserved");
    }
}
