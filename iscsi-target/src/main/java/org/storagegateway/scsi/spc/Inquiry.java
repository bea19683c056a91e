package org.storagegateway.scsi.spc;

import static org.storagegateway.scsi.device.Fields.bit;
import static org.storagegateway.scsi.device.Fields.u16;
import static org.storagegateway.scsi.device.Fields.u8;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.ScsiTask;
import org.storagegateway.scsi.device.StandardInquiry;

/** INQUIRY (SPC-4 §6.6): standard data, and the vital product data pages through {@link VitalProductData}. */
final class Inquiry {
    /** Standard data up to and including the version descriptors and their reserved tail (SPC-4 table 142). */
    static final int STANDARD_LENGTH = 96;
    /** PERIPHERAL QUALIFIER 011b, PERIPHERAL DEVICE TYPE 1Fh: no logical unit here (SPC-4 §6.6.2). */
    static final int NO_LOGICAL_UNIT = 0x7F;

    private static final int VERSION_SPC4 = 0x06;
    private static final int RESPONSE_DATA_FORMAT = 0x02;
    private static final int HISUP = 0x10;
    private static final int RMB = 0x80;
    private static final int CMDQUE = 0x02;
    /** 3PC (SPC-4 §6.6.2): the unit has a copy manager, which its opcode table shows by holding EXTENDED COPY. */
    private static final int THIRD_PARTY_COPY = 0x08;
    private static final int EXTENDED_COPY = 0x83;
    private static final StandardInquiry NOBODY = new StandardInquiry("", "", "", false, List.of());

    private Inquiry() {
    }

    static void handle(LogicalUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        // CMDDT (byte 1 bit 1) is obsolete since SPC-3; asking for it is an error (SPC-4 §6.6.1).
        if (bit(cdb, 1, 1)) {
            throw CheckCondition.invalidFieldInCdb(1, 1);
        }
        boolean evpd = bit(cdb, 1, 0);
        int pageCode = u8(cdb, 2);
        if (!evpd && pageCode != 0) {
            throw CheckCondition.invalidFieldInCdb(2, -1);
        }
        byte[] data = evpd ? VitalProductData.page(unit, pageCode, task.nexus()) : standard(unit);
        task.dataIn(data, u16(cdb, 3));
    }

    static byte[] standard(LogicalUnit unit) {
        StandardInquiry identity = unit == null ? NOBODY : unit.inquiry();
        byte[] data = new byte[STANDARD_LENGTH];
        data[0] = (byte) (unit == null ? NO_LOGICAL_UNIT : unit.deviceType().code());
        data[1] = (byte) (identity.removable() ? RMB : 0);
        data[2] = VERSION_SPC4;
        // NORMACA 0 (no ACA), HISUP 1 (LUNs are hierarchical per SAM-5 §4.7), RESPONSE DATA FORMAT 2.
        data[3] = (byte) (HISUP | RESPONSE_DATA_FORMAT);
        data[4] = (byte) (STANDARD_LENGTH - 5);
        // Byte 5: SCCS, ACC, TPGS 00b (no ALUA: REPORT TARGET PORT GROUPS is not implemented), PROTECT all 0.
        if (unit != null && unit.opcodes().lookup(EXTENDED_COPY, 0x00) != null) {
            data[5] = THIRD_PARTY_COPY;
        }
        data[7] = CMDQUE;
        putAscii(data, 8, identity.vendor(), 8);
        putAscii(data, 16, identity.product(), 16);
        putAscii(data, 32, identity.revision(), 4);
        int at = 58;
        for (int descriptor : identity.versionDescriptors()) {
            Fields.put16(data, at, descriptor);
            at += 2;
        }
        return data;
    }

    /** Left-aligned ASCII padded with spaces (SPC-4 §4.3.1). */
    static void putAscii(byte[] data, int at, String text, int width) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < width; i++) {
            data[at + i] = i < ascii.length ? ascii[i] : (byte) ' ';
        }
    }
}
