package org.storagegateway.scsi.device;

import java.util.Objects;

/**
 * The names of a logical unit: UNIT SERIAL NUMBER (VPD 80h) and the NAA IEEE Registered Extended designator (NAA 6,
 * 16 bytes, VPD 83h). Both must stay the same across restarts: initiators key multipath and file systems on them.
 *
 * @param unitSerialNumber printable ASCII, at most 251 characters
 * @param naa              the 16-byte NAA designator, first nibble 6
 */
public record DeviceIdentification(String unitSerialNumber, byte[] naa) {
    public DeviceIdentification {
        Objects.requireNonNull(unitSerialNumber, "unitSerialNumber");
        Objects.requireNonNull(naa, "naa");
        if (unitSerialNumber.isEmpty() || unitSerialNumber.length() > 251
                || !unitSerialNumber.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("unit serial number must be 1-251 printable ASCII characters without"
                    + " spaces, was \"" + unitSerialNumber + "\"");
        }
        if (naa.length != 16 || (naa[0] & 0xF0) != 0x60) {
            throw new IllegalArgumentException("the NAA designator must be 16 bytes of NAA type 6");
        }
        naa = naa.clone();
    }

    @Override
    public byte[] naa() {
        return naa.clone();
    }
}
