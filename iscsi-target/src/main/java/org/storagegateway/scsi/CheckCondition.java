package org.storagegateway.scsi;

import java.util.Objects;

/**
 * A command that ends in CHECK CONDITION, thrown by any handler; the dispatcher alone turns it into sense data, in
 * fixed or descriptor format (SPC-4 §4.5).
 *
 * <p>Instances are cheap: no stack trace is captured, because a check condition is an answer, not a bug.
 */
public final class CheckCondition extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Where in the CDB or parameter list the offending field sits (SPC-4 §4.5.2.4.2, field pointer). */
    public record FieldPointer(boolean inCdb, int byteIndex, int bit) {
        public FieldPointer {
            if (byteIndex < 0 || byteIndex > 0xFFFF) {
                throw new IllegalArgumentException("field pointer byte out of range: " + byteIndex);
            }
            if (bit < -1 || bit > 7) {
                throw new IllegalArgumentException("field pointer bit out of range: " + bit);
            }
        }
    }

    /**
     * The sense data a copy target reported to the copy manager, carried inside the copy manager's own: in a
     * forwarded sense data descriptor (SPC-4 §4.5.2), or after byte 17 of fixed sense data at the offset that
     * COMMAND-SPECIFIC INFORMATION names (SPC-3 §6.3.3).
     *
     * @param source 1 when the copy source reported it, 2 when the copy destination did (SENSE DATA SOURCE)
     * @param sense  what that copy target reported
     */
    public record ForwardedSense(int source, CheckCondition sense) {
        public ForwardedSense {
            if (source != 1 && source != 2) {
                throw new IllegalArgumentException("forwarded sense source must be 1 or 2, was " + source);
            }
            Objects.requireNonNull(sense, "sense");
            if (sense.forwarded() != null) {
                throw new IllegalArgumentException("forwarded sense cannot itself forward sense");
            }
        }
    }

    private final SenseKey senseKey;
    private final AdditionalSense additionalSense;
    private final FieldPointer fieldPointer;
    private final Long information;
    private final boolean filemark;
    private final boolean endOfMedium;
    private final boolean incorrectLength;
    private final Long commandSpecific;
    private final ForwardedSense forwarded;

    private CheckCondition(SenseKey senseKey, AdditionalSense additionalSense, FieldPointer fieldPointer,
                           Long information, boolean filemark, boolean endOfMedium, boolean incorrectLength) {
        this(senseKey, additionalSense, fieldPointer, information, filemark, endOfMedium, incorrectLength, null,
                null);
    }

    private CheckCondition(SenseKey senseKey, AdditionalSense additionalSense, FieldPointer fieldPointer,
                           Long information, boolean filemark, boolean endOfMedium, boolean incorrectLength,
                           Long commandSpecific, ForwardedSense forwarded) {
        super(senseKey + " " + additionalSense, null, false, false);
        this.senseKey = senseKey;
        this.additionalSense = additionalSense;
        this.fieldPointer = fieldPointer;
        this.information = information;
        this.filemark = filemark;
        this.endOfMedium = endOfMedium;
        this.incorrectLength = incorrectLength;
        this.commandSpecific = commandSpecific;
        this.forwarded = forwarded;
    }

    public static CheckCondition of(SenseKey key, AdditionalSense sense) {
        return new CheckCondition(key, sense, null, null, false, false, false);
    }

    /** A condition with a field pointer into the CDB or the parameter list (a segment pointer for COPY ABORTED). */
    public static CheckCondition of(SenseKey key, AdditionalSense sense, FieldPointer pointer) {
        return new CheckCondition(key, sense, pointer, null, false, false, false);
    }

    /** ILLEGAL REQUEST, INVALID FIELD IN CDB, pointing at a byte (and bit, or -1 for the whole byte). */
    public static CheckCondition invalidFieldInCdb(int byteIndex, int bit) {
        return new CheckCondition(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB,
                new FieldPointer(true, byteIndex, bit), null, false, false, false);
    }

    /** ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST, pointing at a byte (and bit, or -1) of the data-out. */
    public static CheckCondition invalidFieldInParameterList(int byteIndex, int bit) {
        return new CheckCondition(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                new FieldPointer(false, byteIndex, bit), null, false, false, false);
    }

    /** ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE, pointing at the opcode byte. */
    public static CheckCondition invalidOpcode() {
        return new CheckCondition(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_COMMAND_OPERATION_CODE,
                new FieldPointer(true, 0, -1), null, false, false, false);
    }

    /** ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE. */
    public static CheckCondition lbaOutOfRange() {
        return of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
    }

    /** ILLEGAL REQUEST, PARAMETER LIST LENGTH ERROR. */
    public static CheckCondition parameterListLengthError() {
        return of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.PARAMETER_LIST_LENGTH_ERROR);
    }

    /** A copy with the INFORMATION field set (and VALID), e.g. the first failing LBA or a residue. */
    public CheckCondition withInformation(long value) {
        return new CheckCondition(senseKey, additionalSense, fieldPointer, value, filemark, endOfMedium,
                incorrectLength, commandSpecific, forwarded);
    }

    /** A copy with the FILEMARK, EOM and ILI bits of fixed sense byte 2 set as given (SSC-4 §4.2.18). */
    public CheckCondition withTapeFlags(boolean filemark, boolean endOfMedium, boolean incorrectLength) {
        return new CheckCondition(senseKey, additionalSense, fieldPointer, information, filemark, endOfMedium,
                incorrectLength, commandSpecific, forwarded);
    }

    /**
     * A copy with the COMMAND-SPECIFIC INFORMATION field set (SPC-4 §4.5.2, §4.5.3): for EXTENDED COPY, the
     * number of the segment being processed in its low 16 bits (SPC-3 §6.3.3).
     */
    public CheckCondition withCommandSpecificInformation(long value) {
        return new CheckCondition(senseKey, additionalSense, fieldPointer, information, filemark, endOfMedium,
                incorrectLength, value, forwarded);
    }

    /** A copy that carries a copy target's sense data inside its own. */
    public CheckCondition withForwardedSense(ForwardedSense sense) {
        return new CheckCondition(senseKey, additionalSense, fieldPointer, information, filemark, endOfMedium,
                incorrectLength, commandSpecific, Objects.requireNonNull(sense, "sense"));
    }

    public SenseKey senseKey() {
        return senseKey;
    }

    public AdditionalSense additionalSense() {
        return additionalSense;
    }

    /** The field pointer, or null when none applies. */
    public FieldPointer fieldPointer() {
        return fieldPointer;
    }

    /** The INFORMATION field, or null when not valid. */
    public Long information() {
        return information;
    }

    public boolean filemark() {
        return filemark;
    }

    public boolean endOfMedium() {
        return endOfMedium;
    }

    public boolean incorrectLength() {
        return incorrectLength;
    }

    /** The COMMAND-SPECIFIC INFORMATION field, or null when it is zero. */
    public Long commandSpecificInformation() {
        return commandSpecific;
    }

    /** The copy target's sense data carried inside this one, or null. */
    public ForwardedSense forwarded() {
        return forwarded;
    }
}
