package org.storagegateway.iscsi.pdu;

/** Task management functions (RFC 7143 §11.5.1), with their wire codes. */
public enum TaskFunction {
    ABORT_TASK(1),
    ABORT_TASK_SET(2),
    CLEAR_ACA(3),
    CLEAR_TASK_SET(4),
    LOGICAL_UNIT_RESET(5),
    TARGET_WARM_RESET(6),
    TARGET_COLD_RESET(7),
    TASK_REASSIGN(8);

    private final int code;

    TaskFunction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Looks a function up by its wire code, rejecting the reserved codes. */
    public static TaskFunction fromCode(int code) {
        for (TaskFunction function : values()) {
            if (function.code == code) {
                return function;
            }
        }
        throw new IllegalArgumentException("task management function " + code + " is reserved");
    }
}
