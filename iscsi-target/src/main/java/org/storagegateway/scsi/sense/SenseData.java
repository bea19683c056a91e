package org.storagegateway.scsi.sense;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.CheckCondition.FieldPointer;
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
    private static final int SENSE_KEY_SPECIFIC_DESCRIPTOR = 0x02;
    private static final int STREAM_COMMANDS_DESCRIPTOR = 0x04;

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
        byte[] sense = new byte[FIXED_LENGTH];
        Long information = condition.information();
        // INFORMATION is 4 bytes in fixed format; VALID says it holds the whole value (SPC-4 §4.5.3).
        boolean informationFits = information != null && (information >>> 32) == 0;
        sense[0] = (byte) (SenseFormat.FIXED.responseCode() | (informationFits ? VALID : 0));
        sense[2] = (byte) (tapeFlags(condition) | condition.senseKey().code());
        if (information != null) {
            putInt(sense, 3, information.intValue());
        }
        sense[7] = (byte) (FIXED_LENGTH - 8);
        sense[12] = (byte) condition.additionalSense().asc();
        sense[13] = (byte) condition.additionalSense().ascq();
        if (condition.fieldPointer() != null) {
            putFieldPointer(sense, 15, condition.fieldPointer());
        }
        return sense;
    }

    private static byte[] descriptor(CheckCondition condition) {
        int flags = tapeFlags(condition);
        int length = DESCRIPTOR_HEADER_LENGTH
                + (condition.information() != null ? 12 : 0)
                + (condition.fieldPointer() != null ? 8 : 0)
                + (flags != 0 ? 4 : 0);
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
