package org.storagegateway.scsi.spc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.device.DeviceIdentification;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.VpdPage;

/**
 * The vital product data pages the SCSI layer answers for every device (SPC-4 §7.8): SUPPORTED VPD PAGES (00h),
 * UNIT SERIAL NUMBER (80h) and DEVICE IDENTIFICATION (83h); the device's own pages come from
 * {@link LogicalUnit#vpdPages()}.
 */
final class VitalProductData {
    static final int SUPPORTED_PAGES = 0x00;
    static final int UNIT_SERIAL_NUMBER = 0x80;
    static final int DEVICE_IDENTIFICATION = 0x83;

    // Designation descriptor fields (SPC-4 §7.8.6.1, table 459).
    private static final int PROTOCOL_ISCSI = 0x5;
    private static final int CODE_SET_BINARY = 0x1;
    private static final int CODE_SET_ASCII = 0x2;
    private static final int CODE_SET_UTF8 = 0x3;
    private static final int PIV = 0x80;
    private static final int ASSOCIATION_LOGICAL_UNIT = 0b00;
    private static final int ASSOCIATION_TARGET_PORT = 0b01;
    private static final int ASSOCIATION_TARGET_DEVICE = 0b10;
    private static final int TYPE_T10_VENDOR_ID = 0x1;
    private static final int TYPE_NAA = 0x3;
    private static final int TYPE_RELATIVE_TARGET_PORT = 0x4;
    private static final int TYPE_SCSI_NAME_STRING = 0x8;
    private static final String TARGET_PORT_SEPARATOR = ",t,0x";

    private VitalProductData() {
    }

    /** The whole page, header included; an unknown page is INVALID FIELD IN CDB at the PAGE CODE (SPC-4 §6.6.1). */
    static byte[] page(LogicalUnit unit, int pageCode, ItNexus nexus) {
        if (unit == null) {
            // No logical unit: the qualifier says so and the list of pages is empty (SPC-4 §6.6.2).
            if (pageCode == SUPPORTED_PAGES) {
                return withHeader(Inquiry.NO_LOGICAL_UNIT, SUPPORTED_PAGES, new byte[0]);
            }
            throw CheckCondition.invalidFieldInCdb(2, -1);
        }
        TreeMap<Integer, byte[]> bodies = bodies(unit, nexus);
        byte[] body = bodies.get(pageCode);
        if (body == null) {
            throw CheckCondition.invalidFieldInCdb(2, -1);
        }
        return withHeader(unit.deviceType().code(), pageCode, body);
    }

    private static TreeMap<Integer, byte[]> bodies(LogicalUnit unit, ItNexus nexus) {
        TreeMap<Integer, byte[]> bodies = new TreeMap<>();
        DeviceIdentification identification = unit.identification();
        bodies.put(UNIT_SERIAL_NUMBER, identification.unitSerialNumber().getBytes(StandardCharsets.US_ASCII));
        bodies.put(DEVICE_IDENTIFICATION, deviceIdentification(unit, nexus));
        for (VpdPage page : unit.vpdPages()) {
            if (bodies.putIfAbsent(page.pageCode(), page.body()) != null) {
                throw new IllegalStateException(String.format("VPD page %02Xh is the SCSI layer's", page.pageCode()));
            }
        }
        byte[] supported = new byte[bodies.size() + 1];
        int at = 1;
        for (int code : bodies.keySet()) {
            supported[at++] = (byte) code;
        }
        bodies.put(SUPPORTED_PAGES, supported);
        return bodies;
    }

    /**
     * DEVICE IDENTIFICATION (SPC-4 §7.8.6): the logical unit's NAA and T10 vendor ID designators, then the target port
     * the command came through (its relative port number and iSCSI name {@code <target>,t,0x<tpgt>}) and the target
     * device's iSCSI name (RFC 7143 §13.4 lists these as the iSCSI designators).
     */
    private static byte[] deviceIdentification(LogicalUnit unit, ItNexus nexus) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeviceIdentification identification = unit.identification();
        designator(out, 0, CODE_SET_BINARY, ASSOCIATION_LOGICAL_UNIT, TYPE_NAA, identification.naa());

        byte[] vendorId = new byte[8];
        Inquiry.putAscii(vendorId, 0, unit.inquiry().vendor(), 8);
        byte[] serial = identification.unitSerialNumber().getBytes(StandardCharsets.US_ASCII);
        byte[] t10 = new byte[vendorId.length + serial.length];
        System.arraycopy(vendorId, 0, t10, 0, vendorId.length);
        System.arraycopy(serial, 0, t10, vendorId.length, serial.length);
        designator(out, 0, CODE_SET_ASCII, ASSOCIATION_LOGICAL_UNIT, TYPE_T10_VENDOR_ID, t10);

        byte[] relativePort = new byte[4];
        Fields.put16(relativePort, 2, nexus.relativeTargetPortId());
        designator(out, PROTOCOL_ISCSI, CODE_SET_BINARY, ASSOCIATION_TARGET_PORT, TYPE_RELATIVE_TARGET_PORT,
                relativePort);

        String portName = nexus.targetPortName();
        designator(out, PROTOCOL_ISCSI, CODE_SET_UTF8, ASSOCIATION_TARGET_PORT, TYPE_SCSI_NAME_STRING,
                scsiNameString(portName));
        int separator = portName.indexOf(TARGET_PORT_SEPARATOR);
        if (separator > 0) {
            designator(out, PROTOCOL_ISCSI, CODE_SET_UTF8, ASSOCIATION_TARGET_DEVICE, TYPE_SCSI_NAME_STRING,
                    scsiNameString(portName.substring(0, separator)));
        }
        return out.toByteArray();
    }

    // A designation descriptor (SPC-4 table 459); PIV is set whenever a protocol identifier is given.
    private static void designator(ByteArrayOutputStream out, int protocol, int codeSet, int association, int type,
                                   byte[] designator) {
        out.write((protocol << 4) | codeSet);
        out.write((protocol != 0 ? PIV : 0) | (association << 4) | type);
        out.write(0);
        out.write(designator.length);
        out.writeBytes(designator);
    }

    // SCSI name string designator (SPC-4 §7.8.6.11): UTF-8, null-terminated, null-padded to a multiple of four.
    private static byte[] scsiNameString(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        int length = (utf8.length + 1 + 3) & ~3;
        if (length > 0xFF) {
            throw new IllegalStateException("SCSI name string too long: " + name);
        }
        byte[] padded = new byte[length];
        System.arraycopy(utf8, 0, padded, 0, utf8.length);
        return padded;
    }

    // The 4-byte VPD page header (SPC-4 §7.8.1); PAGE LENGTH is two bytes.
    private static byte[] withHeader(int peripheral, int pageCode, byte[] body) {
        if (body.length > 0xFFFF) {
            throw new IllegalStateException(String.format("VPD page %02Xh too long: %d", pageCode, body.length));
        }
        byte[] page = new byte[4 + body.length];
        page[0] = (byte) peripheral;
        page[1] = (byte) pageCode;
        Fields.put16(page, 2, body.length);
        System.arraycopy(body, 0, page, 4, body.length);
        return page;
    }
}
