package org.storagegateway.scsi.device;

/** Peripheral device types (SPC-4 §6.4.2, table 141) that this target serves. */
public enum PeripheralDeviceType {
    DIRECT_ACCESS(0x00),
    SEQUENTIAL_ACCESS(0x01),
    MEDIUM_CHANGER(0x08);

    private final int code;

    PeripheralDeviceType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
