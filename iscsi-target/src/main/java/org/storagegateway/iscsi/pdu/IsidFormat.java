package org.storagegateway.iscsi.pdu;

/** Formats the 6-byte ISID (RFC 7143 §11.12.5) as the 12 hex digits used in initiator port names (§4.4.2). */
public final class IsidFormat {
    private IsidFormat() {
    }

    /** Twelve lower-case hex digits. */
    public static String hex(byte[] isid) {
        StringBuilder text = new StringBuilder(12);
        for (byte b : isid) {
            text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return text.toString();
    }
}
