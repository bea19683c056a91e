package org.storagegateway.iscsi.pdu;

/** Task Management Function Response codes (RFC 7143 §11.6.1), with their wire codes. */
public enum TaskManagementResponseCode {
    FUNCTION_COMPLETE(0),
    TASK_DOES_NOT_EXIST(1),
    LUN_DOES_NOT_EXIST(2),
    TASK_STILL_ALLEGIANT(3),
    TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED(4),
    FUNCTION_NOT_SUPPORTED(5),
    FUNCTION_AUTHORIZATION_FAILED(6),
    FUNCTION_REJECTED(255);

    private final int code;

    TaskManagementResponseCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Looks a response up by its wire code, rejecting reserved codes. */
    public static TaskManagementResponseCode fromCode(int code) {
        for (TaskManagementResponseCode response : values()) {
            if (response.code == code) {
                return response;
            }
        }
        throw new IllegalArgumentException("task management response " + code + " is reserved");
    }
}
