package org.storagegateway.scsi.device;

import java.util.List;
import java.util.Objects;

/**
 * The identity fields of standard INQUIRY data (SPC-4 §6.6.2).
 *
 * @param vendor             T10 VENDOR IDENTIFICATION, at most 8 ASCII characters
 * @param product            PRODUCT IDENTIFICATION, at most 16 ASCII characters
 * @param revision           PRODUCT REVISION LEVEL, at most 4 ASCII characters
 * @param removable          the RMB bit (removable medium: tape drives, changers with media)
 * @param versionDescriptors the VERSION DESCRIPTOR codes (SPC-4 table 147), at most 8
 */
public record StandardInquiry(String vendor, String product, String revision, boolean removable,
                              List<Integer> versionDescriptors) {
    public StandardInquiry {
        requireAscii(vendor, 8, "vendor");
        requireAscii(product, 16, "product");
        requireAscii(revision, 4, "revision");
        versionDescriptors = List.copyOf(versionDescriptors);
        if (versionDescriptors.size() > 8) {
            throw new IllegalArgumentException("at most 8 version descriptors, got " + versionDescriptors.size());
        }
    }

    private static void requireAscii(String value, int max, String what) {
        Objects.requireNonNull(value, what);
        if (value.length() > max || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException(
                    String.format("%s must be at most %d printable ASCII characters, was \"%s\"", what, max, value));
        }
    }
}
