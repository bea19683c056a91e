package org.storagegateway.scsi;

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

    private final SenseKey senseKey;
    private final AdditionalSense additionalSense;
    private final FieldPointer fieldPointer;
    private final Long information;
    private final boolean filemark;
    private final boolean endOfMedium;
    private final boolean incorrectLength;

    private CheckCondition(SenseKey senseKey, AdditionalSense additionalSense, FieldPointer fieldPointer,
                           Long information, boolean filemark, boolean endOfMedium, boolean incorrectLength) {
        super(senseKey + " " + additionalSense, null, false, false);
        this.senseKey = senseKey;
        this.additionalSense = additionalSense;
        this.fieldPointer = fieldPointer;
        this.information = information;
        this.filemark = filemark;
        this.endOfMedium = endOfMedium;
        this.incorrectLength = incorrectLength;
    }

    public static CheckCondition of(SenseKey key, AdditionalSense sense) {
        return new CheckCondition(key, sense, null, null, false, false, false);
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
                incorrectLength);
    }

    /** A copy with the FILEMARK, EOM and ILI bits of fixed sense byte 2 set as given (SSC-4 §4.2.18). */
    public CheckCondition withTapeFlags(boolean filemark, boolean endOfMedium, boolean incorrectLength) {
        return new CheckCondition(senseKey, additionalSense, fieldPointer, information, filemark, endOfMedium,
                incorrectLength);
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
}
