package org.storagegateway.iscsi.login;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The fields of one Login Request PDU that negotiation needs (RFC 7143 §11.12).
 *
 * @param transit      the T bit: the initiator is ready to move to {@code nextStage}
 * @param continueFlag the C bit: the text continues in the next PDU
 * @param currentStage CSG: 0 security, 1 operational, 3 full feature (RFC 7143 §11.12.3)
 * @param nextStage    NSG, meaningful only when {@code transit}
 * @param versionMax   Version-max
 * @param versionMin   Version-min
 * @param isid         the 6-byte ISID (copied)
 * @param tsih         TSIH, 0 for a new session
 * @param cid          the connection ID
 * @param text         this PDU's data segment: key=value pairs (copied)
 */
public record LoginRequestFields(boolean transit, boolean continueFlag, int currentStage, int nextStage,
                                 int versionMax, int versionMin, byte[] isid, int tsih, int cid, byte[] text) {
    public static final int ISID_LENGTH = 6;

    public LoginRequestFields {
        requireRange("CSG", currentStage, 0, 3);
        requireRange("NSG", nextStage, 0, 3);
        requireRange("Version-max", versionMax, 0, 0xFF);
        requireRange("Version-min", versionMin, 0, 0xFF);
        requireRange("TSIH", tsih, 0, 0xFFFF);
        requireRange("CID", cid, 0, 0xFFFF);
        Objects.requireNonNull(isid, "isid");
        if (isid.length != ISID_LENGTH) {
            throw new IllegalArgumentException("ISID must be 6 bytes, was " + isid.length);
        }
        isid = isid.clone();
        text = Objects.requireNonNull(text, "text").clone();
    }

    @Override
    public byte[] isid() {
        return isid.clone();
    }

    @Override
    public byte[] text() {
        return text.clone();
    }

    /** Compares the byte arrays by content, unlike a record's default. */
    @Override
    public boolean equals(Object other) {
        return other instanceof LoginRequestFields that && transit == that.transit
                && continueFlag == that.continueFlag && currentStage == that.currentStage
                && nextStage == that.nextStage && versionMax == that.versionMax && versionMin == that.versionMin
                && tsih == that.tsih && cid == that.cid && Arrays.equals(isid, that.isid)
                && Arrays.equals(text, that.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transit, continueFlag, currentStage, nextStage, versionMax, versionMin, tsih, cid,
                Arrays.hashCode(isid), Arrays.hashCode(text));
    }

    @Override
    public String toString() {
        return String.format("LoginRequest[T=%b C=%b CSG=%d NSG=%d versions=%d-%d ISID=%s TSIH=%d CID=%d text=%d bytes]",
                transit, continueFlag, currentStage, nextStage, versionMin, versionMax, HexFormat.of().formatHex(isid),
                tsih, cid, text.length);
    }

    static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format("%s must be %d-%d, was %d", field, min, max, value));
        }
    }
}
