package org.storagegateway.scsi.spc;

/**
 * The 8-byte LUN field (SAM-5 §4.7): single-level LUNs in the peripheral device addressing method (00b, LUNs 0–255,
 * §4.7.7.2) and the flat space addressing method (01b, LUNs 0–16383, §4.7.7.4). Other methods and multi-level LUNs
 * are not served by this target and decode as {@link #UNSUPPORTED}.
 */
public final class LunAddress {
    /** What {@link #decode} answers for a LUN field this target cannot address. */
    public static final long UNSUPPORTED = -1;
    /** The largest LUN the flat space addressing method can express. */
    public static final int MAX_LUN = 0x3FFF;

    private static final int PERIPHERAL_METHOD = 0b00;
    private static final int FLAT_SPACE_METHOD = 0b01;
    private static final int PERIPHERAL_LIMIT = 256;

    private LunAddress() {
    }

    /** The LUN number of a LUN field, or {@link #UNSUPPORTED}. */
    public static long decode(long field) {
        // Only the first level (bytes 0-1) may be set in a single-level LUN (SAM-5 §4.7.3).
        if ((field & 0x0000_FFFF_FFFF_FFFFL) != 0) {
            return UNSUPPORTED;
        }
        int firstLevel = (int) (field >>> 48);
        int method = firstLevel >>> 14;
        if (method == PERIPHERAL_METHOD) {
            // Bus identifier (byte 0, bits 5..0) zero addresses this target's own logical units.
            return (firstLevel >>> 8) == 0 ? firstLevel & 0xFF : UNSUPPORTED;
        }
        if (method == FLAT_SPACE_METHOD) {
            return firstLevel & MAX_LUN;
        }
        return UNSUPPORTED;
    }

    /** The LUN field for a LUN number: peripheral device addressing below 256, flat space above (SAM-5 §4.7.7). */
    public static long encode(long lun) {
        if (lun < 0 || lun > MAX_LUN) {
            throw new IllegalArgumentException(String.format("LUN %d out of range 0..%d", lun, MAX_LUN));
        }
        long firstLevel = lun < PERIPHERAL_LIMIT ? lun : (FLAT_SPACE_METHOD << 14) | lun;
        return firstLevel << 48;
    }
}
