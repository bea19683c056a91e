package org.storagegateway.scsi.pr;

import org.storagegateway.scsi.CheckCondition;

/** PERSISTENT RESERVE OUT service actions (SPC-4 §6.16.2, table 225), each with its wire code. */
enum PrOutServiceAction {
    REGISTER(0x00, false),
    RESERVE(0x01, true),
    RELEASE(0x02, true),
    CLEAR(0x03, false),
    PREEMPT(0x04, true),
    PREEMPT_AND_ABORT(0x05, true),
    REGISTER_AND_IGNORE_EXISTING_KEY(0x06, false),
    REGISTER_AND_MOVE(0x07, true);

    private final int code;
    private final boolean usesScopeAndType;

    PrOutServiceAction(int code, boolean usesScopeAndType) {
        this.code = code;
        this.usesScopeAndType = usesScopeAndType;
    }

    int code() {
        return code;
    }

    /** Whether SCOPE and TYPE are checked; REGISTER, REGISTER AND IGNORE EXISTING KEY and CLEAR ignore them. */
    boolean usesScopeAndType() {
        return usesScopeAndType;
    }

    /** Whether the APTPL bit means something here (SPC-4 §6.16.3: the register actions only). */
    boolean honoursAptpl() {
        return this == REGISTER || this == REGISTER_AND_IGNORE_EXISTING_KEY || this == REGISTER_AND_MOVE;
    }

    /** The action named by CDB byte 1 bits 4..0; reserved codes are INVALID FIELD IN CDB. */
    static PrOutServiceAction fromCdb(int code) {
        for (PrOutServiceAction action : values()) {
            if (action.code == code) {
                return action;
            }
        }
        throw CheckCondition.invalidFieldInCdb(1, 4);
    }
}
