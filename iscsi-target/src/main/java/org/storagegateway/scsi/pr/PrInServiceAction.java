package org.storagegateway.scsi.pr;

import org.storagegateway.scsi.CheckCondition;

/** PERSISTENT RESERVE IN service actions (SPC-4 §6.15.1, table 211), each with its wire code. */
enum PrInServiceAction {
    READ_KEYS(0x00),
    READ_RESERVATION(0x01),
    REPORT_CAPABILITIES(0x02),
    READ_FULL_STATUS(0x03);

    private final int code;

    PrInServiceAction(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The action named by CDB byte 1 bits 4..0; reserved codes are INVALID FIELD IN CDB. */
    static PrInServiceAction fromCdb(int code) {
        for (PrInServiceAction action : values()) {
            if (action.code == code) {
                return action;
            }
        }
        throw CheckCondition.invalidFieldInCdb(1, 4);
    }
}
