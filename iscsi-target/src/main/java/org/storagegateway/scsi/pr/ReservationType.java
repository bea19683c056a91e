package org.storagegateway.scsi.pr;

import org.storagegateway.scsi.CheckCondition;

/** Persistent reservation types (SPC-4 §6.16.2, table 228), each with its wire code in the CDB TYPE field. */
enum ReservationType {
    WRITE_EXCLUSIVE(0x1, false, false, false),
    EXCLUSIVE_ACCESS(0x3, true, false, false),
    WRITE_EXCLUSIVE_REGISTRANTS_ONLY(0x5, false, true, false),
    EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(0x6, true, true, false),
    WRITE_EXCLUSIVE_ALL_REGISTRANTS(0x7, false, true, true),
    EXCLUSIVE_ACCESS_ALL_REGISTRANTS(0x8, true, true, true);

    /** CDB byte 2 holds SCOPE in bits 7..4 and TYPE in bits 3..0 (SPC-4 §6.16.1). */
    static final int CDB_BYTE = 2;
    static final int TYPE_FIELD_MSB = 3;

    private final int code;
    private final boolean exclusiveAccess;
    private final boolean registrantsAdmitted;
    private final boolean everyRegistrantHolds;

    ReservationType(int code, boolean exclusiveAccess, boolean registrantsAdmitted, boolean everyRegistrantHolds) {
        this.code = code;
        this.exclusiveAccess = exclusiveAccess;
        this.registrantsAdmitted = registrantsAdmitted;
        this.everyRegistrantHolds = everyRegistrantHolds;
    }

    int code() {
        return code;
    }

    /** Exclusive Access types also refuse reads to those they do not admit; Write Exclusive types only writes. */
    boolean exclusiveAccess() {
        return exclusiveAccess;
    }

    /** Registrants Only and All Registrants types give every registered I_T nexus full access (SPC-4 table 62). */
    boolean registrantsAdmitted() {
        return registrantsAdmitted;
    }

    /** All Registrants types make every registered I_T nexus a reservation holder (SPC-4 §5.13.10). */
    boolean everyRegistrantHolds() {
        return everyRegistrantHolds;
    }

    /** Registrants Only types tell the other registrants when the reservation goes (SPC-4 §5.13.11.2.2). */
    boolean registrantsOnly() {
        return registrantsAdmitted && !everyRegistrantHolds;
    }

    /**
     * The bit of this type in the 16-bit PERSISTENT RESERVATION TYPE MASK of REPORT CAPABILITIES (SPC-4 §6.15.4,
     * table 216): byte 4 bit n is type n for n = 1..7, byte 5 bit 0 is type 8.
     */
    int capabilityMaskBit() {
        return code < 8 ? 1 << (8 + code) : 1 << (code - 8);
    }

    /** The type named by the CDB TYPE field; any other code is INVALID FIELD IN CDB (SPC-4 §6.16.2). */
    static ReservationType fromCdb(int code) {
        for (ReservationType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw CheckCondition.invalidFieldInCdb(CDB_BYTE, TYPE_FIELD_MSB);
    }
}
