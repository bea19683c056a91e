package org.storagegateway.iscsi.pdu;

/** Logout Response codes (RFC 7143 §11.15.1), with their wire codes. */
public enum LogoutResponseCode {
    CLOSED_SUCCESSFULLY(0),
    CID_NOT_FOUND(1),
    RECOVERY_NOT_SUPPORTED(2),
    CLEANUP_FAILED(3);

    private final int code;

    LogoutResponseCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Looks a response up by its wire code, rejecting reserved codes. */
    public static LogoutResponseCode fromCode(int code) {
        for (LogoutResponseCode response : values()) {
            if (response.code == code) {
                return response;
            }
        }
        throw new IllegalArgumentException("logout response " + code + " is reserved");
    }
}
