package org.storagegateway.scsi.sbc;

import org.storagegateway.scsi.CheckCondition;

/**
 * The CDB checks every SBC handler makes: reserved bits (SPC-4 §4.2.5) and protection fields. Fields are read with
 * {@link org.storagegateway.scsi.device.Fields}.
 */
final class Cdb {
    private Cdb() {
    }

    /** Refuses set bits of {@code mask} in byte {@code index}: INVALID FIELD IN CDB at the highest offending bit. */
    static void reserved(byte[] cdb, int index, int mask) {
        int bad = cdb[index] & mask;
        if (bad != 0) {
            throw CheckCondition.invalidFieldInCdb(index, 31 - Integer.numberOfLeadingZeros(bad));
        }
    }

    /** Refuses a non-zero protection field (RDPROTECT, WRPROTECT, VRPROTECT, ORPROTECT; SBC-3 §5.x): no PI here. */
    static void noProtection(byte[] cdb) {
        if ((cdb[1] & 0xE0) != 0) {
            throw CheckCondition.invalidFieldInCdb(1, 7);
        }
    }
}
