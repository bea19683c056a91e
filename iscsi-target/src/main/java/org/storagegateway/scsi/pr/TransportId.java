package org.storagegateway.scsi.pr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;

/**
 * An iSCSI TransportID (SPC-4 §7.6.4.6): format 00b names an initiator device (any of its ports), format 01b one
 * initiator port, {@code <iSCSI name>,i,0x<ISID>}. Names and ISIDs are kept lower-case because iSCSI names compare
 * after stringprep folding (RFC 3722 §6) and the ISID is a hex number.
 *
 * @param iscsiName the iSCSI name (or, for another transport, its initiator port name)
 * @param isid      the ISID as 12 hex digits, or null for a format 00b TransportID naming every port of the device
 */
record TransportId(String iscsiName, String isid) {
    /** PROTOCOL IDENTIFIER of iSCSI (SPC-4 §7.6.2, table 444). */
    static final int ISCSI_PROTOCOL_IDENTIFIER = 0x5;
    /** Header plus the smallest ADDITIONAL LENGTH, 20 (SPC-4 §7.6.4.6). */
    static final int MINIMUM_LENGTH = 24;
    private static final int FORMAT_DEVICE_NAME = 0b00;
    private static final int FORMAT_PORT_NAME = 0b01;
    private static final int HEADER_LENGTH = 4;
    private static final int MINIMUM_ADDITIONAL_LENGTH = 20;
    private static final String PORT_SEPARATOR = ",i,0x";
    private static final int ISID_DIGITS = 12;
    /** RFC 7143 §4.2.7.1: an iSCSI name is at most 223 bytes. */
    private static final int MAXIMUM_NAME_BYTES = 223;

    TransportId {
        Objects.requireNonNull(iscsiName, "iscsiName");
        iscsiName = iscsiName.toLowerCase(Locale.ROOT);
        // Only what encoding needs: names arriving in TransportIDs get the full check in decode.
        if (iscsiName.isEmpty() || iscsiName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an iSCSI name must be non-empty and free of NUL");
        }
        if (isid != null) {
            isid = isid.toLowerCase(Locale.ROOT);
            if (!isHex(isid, ISID_DIGITS)) {
                throw new IllegalArgumentException("an ISID must be 12 hex digits, was \"" + isid + "\"");
            }
        }
    }

    /** The initiator port of an I_T nexus; a port name not of the iSCSI form stands for itself, with no ISID. */
    static TransportId of(ItNexus nexus) {
        String port = nexus.initiatorPortName();
        String name = nexus.initiatorName();
        int separator = name.length();
        if (port.length() == separator + PORT_SEPARATOR.length() + ISID_DIGITS
                && port.regionMatches(true, 0, name, 0, separator)
                && port.regionMatches(true, separator, PORT_SEPARATOR, 0, PORT_SEPARATOR.length())) {
            String isid = port.substring(separator + PORT_SEPARATOR.length());
            if (isHex(isid, ISID_DIGITS)) {
                return new TransportId(name, isid);
            }
        }
        return new TransportId(port, null);
    }

    /** Whether this TransportID names that initiator port: the same port, or the device the port belongs to. */
    boolean covers(TransportId port) {
        return iscsiName.equals(port.iscsiName) && (isid == null || isid.equals(port.isid));
    }

    /** Whether some initiator port is named by both TransportIDs. */
    boolean overlaps(TransportId other) {
        return iscsiName.equals(other.iscsiName) && (isid == null || other.isid == null || isid.equals(other.isid));
    }

    /** The TransportID as SPC-4 §7.6.4.6 encodes it: NUL-terminated, NUL-padded to a multiple of 4, at least 24 bytes. */
    byte[] encode() {
        String text = isid == null ? iscsiName : iscsiName + PORT_SEPARATOR + isid;
        byte[] name = text.getBytes(StandardCharsets.UTF_8);
        int additionalLength = Math.max(MINIMUM_ADDITIONAL_LENGTH, (name.length + 1 + 3) & ~3);
        byte[] encoded = new byte[HEADER_LENGTH + additionalLength];
        int format = isid == null ? FORMAT_DEVICE_NAME : FORMAT_PORT_NAME;
        encoded[0] = (byte) (format << 6 | ISCSI_PROTOCOL_IDENTIFIER);
        encoded[2] = (byte) (additionalLength >>> 8);
        encoded[3] = (byte) additionalLength;
        System.arraycopy(name, 0, encoded, HEADER_LENGTH, name.length);
        return encoded;
    }

    /** The length of the TransportID starting at {@code offset}, once {@link #decode} accepted it. */
    static int encodedLength(ByteBuffer parameters, int offset) {
        return HEADER_LENGTH + (parameters.getShort(offset + 2) & 0xFFFF);
    }

    /**
     * Decodes the TransportID at {@code offset} of a parameter list whose TransportIDs end at {@code end}. Anything
     * but a well-formed iSCSI TransportID is INVALID FIELD IN PARAMETER LIST, pointing at the offending field.
     */
    static TransportId decode(ByteBuffer parameters, int offset, int end) {
        if (end - offset < MINIMUM_LENGTH) {
            throw CheckCondition.invalidFieldInParameterList(offset, -1);
        }
        int first = parameters.get(offset) & 0xFF;
        if ((first & 0x0F) != ISCSI_PROTOCOL_IDENTIFIER) {
            throw CheckCondition.invalidFieldInParameterList(offset, 3);
        }
        int format = first >>> 6;
        if (format != FORMAT_DEVICE_NAME && format != FORMAT_PORT_NAME) {
            throw CheckCondition.invalidFieldInParameterList(offset, 7);
        }
        int additionalLength = parameters.getShort(offset + 2) & 0xFFFF;
        if (additionalLength < MINIMUM_ADDITIONAL_LENGTH || additionalLength % 4 != 0
                || offset + HEADER_LENGTH + additionalLength > end) {
            throw CheckCondition.invalidFieldInParameterList(offset + 2, 7);
        }
        int nameStart = offset + HEADER_LENGTH;
        String text = terminatedString(parameters, nameStart, nameStart + additionalLength);
        String name = text;
        String isid = null;
        if (format == FORMAT_PORT_NAME) {
            int separator = text.toLowerCase(Locale.ROOT).indexOf(PORT_SEPARATOR);
            if (separator < 0) {
                throw CheckCondition.invalidFieldInParameterList(nameStart, -1);
            }
            name = text.substring(0, separator);
            isid = text.substring(separator + PORT_SEPARATOR.length());
        }
        if (!isIscsiName(name)) {
            throw CheckCondition.invalidFieldInParameterList(nameStart, -1);
        }
        try {
            return new TransportId(name, isid);
        } catch (IllegalArgumentException e) {
            throw CheckCondition.invalidFieldInParameterList(nameStart, -1);
        }
    }

    // RFC 7143 §4.2.7.1 and RFC 3722: at most 223 bytes, no spaces, controls or the port separator's comma.
    private static boolean isIscsiName(String name) {
        return !name.isEmpty() && name.getBytes(StandardCharsets.UTF_8).length <= MAXIMUM_NAME_BYTES
                && name.chars().allMatch(c -> c > 0x20 && c != 0x7F && c != ',');
    }

    // The ISCSI NAME field is NUL-terminated UTF-8 (SPC-4 §7.6.4.6); no terminator or bad UTF-8 is malformed.
    private static String terminatedString(ByteBuffer parameters, int start, int end) {
        int terminator = start;
        while (terminator < end && parameters.get(terminator) != 0) {
            terminator++;
        }
        if (terminator == end || terminator == start) {
            throw CheckCondition.invalidFieldInParameterList(start, -1);
        }
        ByteBuffer bytes = parameters.duplicate();
        bytes.limit(terminator).position(start);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw CheckCondition.invalidFieldInParameterList(start, -1);
        }
    }

    private static boolean isHex(String text, int digits) {
        return text.length() == digits && text.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }

    @Override
    public String toString() {
        return isid == null ? iscsiName : iscsiName + PORT_SEPARATOR + isid;
    }
}
