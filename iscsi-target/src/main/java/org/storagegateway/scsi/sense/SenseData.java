package org.storagegateway.scsi.sense;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.CheckCondition.FieldPointer;
import org.storagegateway.scsi.CheckCondition.ForwardedSense;
import org.storagegateway.scsi.SenseKey;

/**
 * Encodes sense data for current errors in fixed (SPC-4 §4.5.3) or descriptor (SPC-4 §4.5.2) format. This is the one
 * place a {@link CheckCondition} becomes bytes.
 */
public final class SenseData {
    /** Fixed format: 18 bytes, ADDITIONAL SENSE LENGTH 10 (SPC-4 §4.5.3, table 45). */
    public static final int FIXED_LENGTH = 18;
    /** Descriptor format header (SPC-4 §4.5.2.1, table 26). */
    public static final int DESCRIPTOR_HEADER_LENGTH = 8;

    private static final int VALID = 0x80;
    private static final int FILEMARK = 0x80;
    private static final int END_OF_MEDIUM = 0x40;
    private static final int INCORRECT_LENGTH = 0x20;
    private static final int SKSV = 0x80;
    private static final int COMMAND_DATA = 0x40;
    private static final int BIT_POINTER_VALID = 0x08;

    private static final int INFORMATION_DESCRIPTOR = 0x00;
    private static final int COMMAND_SPECIFIC_DESCRIPTOR = 0x01;
    private static final int SENSE_KEY_SPECIFIC_DESCRIPTOR = 0x02;
    private static final int STREAM_COMMANDS_DESCRIPTOR = 0x04;
    private static final int FORWARDED_SENSE_DESCRIPTOR = 0x0C;
    private static final int STATUS_CHECK_CONDITION = 0x02;

    private SenseData() {
    }

    /** The sense data for a check condition in the given format. */
    public static byte[] of(CheckCondition condition, SenseFormat format) {
        return format == SenseFormat.FIXED ? fixed(condition) : descriptor(condition);
    }

    /** Sense data with only a key and additional sense (unit attentions, NO SENSE for REQUEST SENSE). */
    public static byte[] of(SenseKey key, AdditionalSense sense, SenseFormat format) {
        return of(CheckCondition.of(key, sense), format);
    }

    private static byte[] fixed(CheckCondition condition) {
        ForwardedSense forwarded = condition.forwarded();
        byte[] inner = forwarded == null ? new byte[0] : fixed(forwarded.sense());
        byte[] sense = new byte[FIXED_LENGTH + inner.length];
        Long information = condition.information();
        // INFORMATION is 4 bytes in fixed format; VALID says it holds the whole value (SPC-4 §4.5.3).
        boolean informationFits = information != null && (information >>> 32) == 0;
        sense[0] = (byte) (SenseFormat.FIXED.responseCode() | (informationFits ? VALID : 0));
        sense[2] = (byte) (tapeFlags(condition) | condition.senseKey().code());
        if (information != null) {
            putInt(sense, 3, information.intValue());
        }
        sense[7] = (byte) (sense.length - 8);
        if (condition.commandSpecificInformation() != null) {
            putInt(sense, 8, condition.commandSpecificInformation().intValue());
        }
        if (forwarded != null) {
            // SPC-3 §6.3.3: COMMAND-SPECIFIC INFORMATION byte 0 (copy source) or byte 1 (copy destination) holds
            // the offset of the copy target's own sense data, which follows the 18 bytes of this one.
            System.arraycopy(inner, 0, sense, FIXED_LENGTH, inner.length);
            sense[8 + forwarded.source() - 1] = (byte) FIXED_LENGTH;
        }
        sense[12] = (byte) condition.additionalSense().asc();
        sense[13] = (byte) condition.additionalSense().ascq();
        if (condition.fieldPointer() != null) {
            putFieldPointer(sense, 15, condition.fieldPointer());
        }
        return sense;
    }

    private static byte[] descriptor(CheckCondition condition) {
        int flags = tapeFlags(condition);
        ForwardedSense forwarded = condition.forwarded();
        byte[] inner = forwarded == null ? new byte[0] : descriptor(forwarded.sense());
        int length = DESCRIPTOR_HEADER_LENGTH
                + (condition.information() != null ? 12 : 0)
                + (condition.commandSpecificInformation() != null ? 12 : 0)
                + (condition.fieldPointer() != null ? 8 : 0)
                + (flags != 0 ? 4 : 0)
                + (forwarded != null ? 4 + inner.length : 0);
        byte[] sense = new byte[length];
        sense[0] = (byte) SenseFormat.DESCRIPTOR.responseCode();
        sense[1] = (byte) condition.senseKey().code();
        sense[2] = (byte) condition.additionalSense().asc();
        sense[3] = (byte) condition.additionalSense().ascq();
        sense[7] = (byte) (length - DESCRIPTOR_HEADER_LENGTH);
        int at = DESCRIPTOR_HEADER_LENGTH;
        if (condition.information() != null) {
            // Information sense data descriptor (SPC-4 §4.5.2.2): 8-byte INFORMATION, VALID set.
            sense[at] = INFORMATION_DESCRIPTOR;
            sense[at + 1] = 0x0A;
            sense[at + 2] = (byte) VALID;
            putLong(sense, at + 4, condition.information());
            at += 12;
        }
        if (condition.commandSpecificInformation() != null) {
            // Command-specific information sense data descriptor (SPC-4 §4.5.2): 8-byte field.
            sense[at] = COMMAND_SPECIFIC_DESCRIPTOR;
            sense[at + 1] = 0x0A;
            putLong(sense, at + 4, condition.commandSpecificInformation());
            at += 12;
        }
        if (condition.fieldPointer() != null) {
            // Sense key specific sense data descriptor (SPC-4 §4.5.2.3).
            sense[at] = SENSE_KEY_SPECIFIC_DESCRIPTOR;
            sense[at + 1] = 0x06;
            putFieldPointer(sense, at + 4, condition.fieldPointer());
            at += 8;
        }
        if (flags != 0) {
            // Stream commands sense data descriptor (SPC-4 §4.5.2.5, SSC-4 §4.2.18): FILEMARK, EOM, ILI.
            sense[at] = STREAM_COMMANDS_DESCRIPTOR;
            sense[at + 1] = 0x02;
            sense[at + 3] = (byte) flags;
            at += 4;
        }
        if (forwarded != null) {
            // Forwarded sense data descriptor (SPC-4 §4.5.2): SENSE DATA SOURCE 1h or 2h names the copy source or
            // destination CSCD; FORWARDED STATUS is the CHECK CONDITION the copy target ended with.
            sense[at] = FORWARDED_SENSE_DESCRIPTOR;
            sense[at + 1] = (byte) (2 + inner.length);
            sense[at + 2] = (byte) forwarded.source();
            sense[at + 3] = STATUS_CHECK_CONDITION;
            System.arraycopy(inner, 0, sense, at + 4, inner.length);
        }
        return sense;
    }

    private static int tapeFlags(CheckCondition condition) {
        return (condition.filemark() ? FILEMARK : 0) | (condition.endOfMedium() ? END_OF_MEDIUM : 0)
                | (condition.incorrectLength() ? INCORRECT_LENGTH : 0);
    }

    // Field pointer sense key specific data (SPC-4 §4.5.2.4.2, table 31): SKSV, C/D, BPV, BIT POINTER, FIELD POINTER.
    private static void putFieldPointer(byte[] sense, int at, FieldPointer pointer) {
        int first = SKSV | (pointer.inCdb() ? COMMAND_DATA : 0);
        if (pointer.bit() >= 0) {
            first |= BIT_POINTER_VALID | pointer.bit();
        }
        sense[at] = (byte) first;
        sense[at + 1] = (byte) (pointer.byteIndex() >>> 8);
        sense[at + 2] = (byte) pointer.byteIndex();
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private static void putLong(byte[] bytes, int at, long value) {
        putInt(bytes, at, (int) (value >>> 32));
        putInt(bytes, at + 4, (int) value);
    }
}
