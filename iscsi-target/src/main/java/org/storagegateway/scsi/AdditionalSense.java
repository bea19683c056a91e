package org.storagegateway.scsi;

/** An additional sense code and qualifier pair (SPC-4 §4.5.6, table 44); the constants are the ones this target uses. */
public record AdditionalSense(int asc, int ascq) {

    public static final AdditionalSense NO_ADDITIONAL_SENSE = new AdditionalSense(0x00, 0x00);
    public static final AdditionalSense FILEMARK_DETECTED = new AdditionalSense(0x00, 0x01);
    public static final AdditionalSense END_OF_PARTITION_MEDIUM_DETECTED = new AdditionalSense(0x00, 0x02);
    public static final AdditionalSense BEGINNING_OF_PARTITION_MEDIUM_DETECTED = new AdditionalSense(0x00, 0x04);
    public static final AdditionalSense END_OF_DATA_DETECTED = new AdditionalSense(0x00, 0x05);
    public static final AdditionalSense OPERATION_IN_PROGRESS = new AdditionalSense(0x00, 0x16);
    public static final AdditionalSense LOGICAL_UNIT_NOT_READY_CAUSE_NOT_REPORTABLE = new AdditionalSense(0x04, 0x00);
    public static final AdditionalSense LOGICAL_UNIT_NOT_READY_INITIALIZING_COMMAND_REQUIRED =
            new AdditionalSense(0x04, 0x02);
    public static final AdditionalSense LOGICAL_UNIT_NOT_READY_MANUAL_INTERVENTION_REQUIRED =
            new AdditionalSense(0x04, 0x03);
    public static final AdditionalSense LOGICAL_UNIT_NOT_READY_SANITIZE_IN_PROGRESS = new AdditionalSense(0x04, 0x1B);
    public static final AdditionalSense UNREACHABLE_COPY_TARGET = new AdditionalSense(0x08, 0x04);
    public static final AdditionalSense INCORRECT_COPY_TARGET_DEVICE_TYPE = new AdditionalSense(0x0D, 0x03);
    public static final AdditionalSense WRITE_ERROR = new AdditionalSense(0x0C, 0x00);
    public static final AdditionalSense UNRECOVERED_READ_ERROR = new AdditionalSense(0x11, 0x00);
    public static final AdditionalSense MISCOMPARE_DURING_VERIFY_OPERATION = new AdditionalSense(0x1D, 0x00);
    public static final AdditionalSense PARAMETER_LIST_LENGTH_ERROR = new AdditionalSense(0x1A, 0x00);
    public static final AdditionalSense INVALID_COMMAND_OPERATION_CODE = new AdditionalSense(0x20, 0x00);
    public static final AdditionalSense LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE = new AdditionalSense(0x21, 0x00);
    public static final AdditionalSense INVALID_ELEMENT_ADDRESS = new AdditionalSense(0x21, 0x01);
    public static final AdditionalSense INVALID_FIELD_IN_CDB = new AdditionalSense(0x24, 0x00);
    public static final AdditionalSense LOGICAL_UNIT_NOT_SUPPORTED = new AdditionalSense(0x25, 0x00);
    public static final AdditionalSense INVALID_FIELD_IN_PARAMETER_LIST = new AdditionalSense(0x26, 0x00);
    public static final AdditionalSense PARAMETER_VALUE_INVALID = new AdditionalSense(0x26, 0x02);
    public static final AdditionalSense TOO_MANY_TARGET_DESCRIPTORS = new AdditionalSense(0x26, 0x06);
    public static final AdditionalSense UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE = new AdditionalSense(0x26, 0x07);
    public static final AdditionalSense TOO_MANY_SEGMENT_DESCRIPTORS = new AdditionalSense(0x26, 0x08);
    public static final AdditionalSense UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE = new AdditionalSense(0x26, 0x09);
    public static final AdditionalSense UNEXPECTED_INEXACT_SEGMENT = new AdditionalSense(0x26, 0x0A);
    public static final AdditionalSense INLINE_DATA_LENGTH_EXCEEDED = new AdditionalSense(0x26, 0x0B);
    public static final AdditionalSense INVALID_RELEASE_OF_PERSISTENT_RESERVATION = new AdditionalSense(0x26, 0x04);
    public static final AdditionalSense WRITE_PROTECTED = new AdditionalSense(0x27, 0x00);
    public static final AdditionalSense LOGICAL_UNIT_SOFTWARE_WRITE_PROTECTED = new AdditionalSense(0x27, 0x02);
    public static final AdditionalSense NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED =
            new AdditionalSense(0x28, 0x00);
    public static final AdditionalSense IMPORT_OR_EXPORT_ELEMENT_ACCESSED = new AdditionalSense(0x28, 0x01);
    public static final AdditionalSense POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED = new AdditionalSense(0x29, 0x00);
    public static final AdditionalSense POWER_ON_OCCURRED = new AdditionalSense(0x29, 0x01);
    public static final AdditionalSense BUS_DEVICE_RESET_FUNCTION_OCCURRED = new AdditionalSense(0x29, 0x03);
    public static final AdditionalSense I_T_NEXUS_LOSS_OCCURRED = new AdditionalSense(0x29, 0x07);
    public static final AdditionalSense MODE_PARAMETERS_CHANGED = new AdditionalSense(0x2A, 0x01);
    public static final AdditionalSense RESERVATIONS_PREEMPTED = new AdditionalSense(0x2A, 0x03);
    public static final AdditionalSense RESERVATIONS_RELEASED = new AdditionalSense(0x2A, 0x04);
    public static final AdditionalSense REGISTRATIONS_PREEMPTED = new AdditionalSense(0x2A, 0x05);
    public static final AdditionalSense CAPACITY_DATA_HAS_CHANGED = new AdditionalSense(0x2A, 0x09);
    public static final AdditionalSense COMMANDS_CLEARED_BY_ANOTHER_INITIATOR = new AdditionalSense(0x2F, 0x00);
    public static final AdditionalSense INCOMPATIBLE_MEDIUM_INSTALLED = new AdditionalSense(0x30, 0x00);
    public static final AdditionalSense CANNOT_WRITE_MEDIUM_INCOMPATIBLE_FORMAT = new AdditionalSense(0x30, 0x05);
    public static final AdditionalSense SANITIZE_COMMAND_FAILED = new AdditionalSense(0x31, 0x03);
    public static final AdditionalSense SAVING_PARAMETERS_NOT_SUPPORTED = new AdditionalSense(0x39, 0x00);
    public static final AdditionalSense MEDIUM_NOT_PRESENT = new AdditionalSense(0x3A, 0x00);
    public static final AdditionalSense MEDIUM_DESTINATION_ELEMENT_FULL = new AdditionalSense(0x3B, 0x0D);
    public static final AdditionalSense MEDIUM_SOURCE_ELEMENT_EMPTY = new AdditionalSense(0x3B, 0x0E);
    public static final AdditionalSense REPORTED_LUNS_DATA_HAS_CHANGED = new AdditionalSense(0x3F, 0x0E);
    public static final AdditionalSense INTERNAL_TARGET_FAILURE = new AdditionalSense(0x44, 0x00);
    public static final AdditionalSense INVALID_MESSAGE_ERROR = new AdditionalSense(0x49, 0x00);
    public static final AdditionalSense COMMAND_PHASE_ERROR = new AdditionalSense(0x4A, 0x00);
    public static final AdditionalSense DATA_PHASE_ERROR = new AdditionalSense(0x4B, 0x00);
    public static final AdditionalSense MEDIUM_REMOVAL_PREVENTED = new AdditionalSense(0x53, 0x02);
    public static final AdditionalSense INSUFFICIENT_RESOURCES = new AdditionalSense(0x55, 0x03);
    public static final AdditionalSense INSUFFICIENT_REGISTRATION_RESOURCES = new AdditionalSense(0x55, 0x04);
    public static final AdditionalSense SPACE_ALLOCATION_FAILED_WRITE_PROTECT = new AdditionalSense(0x27, 0x07);

    public AdditionalSense {
        if (asc < 0 || asc > 0xFF || ascq < 0 || ascq > 0xFF) {
            throw new IllegalArgumentException(String.format("ASC/ASCQ out of range: 0x%x/0x%x", asc, ascq));
        }
    }

    @Override
    public String toString() {
        return String.format("%02Xh/%02Xh", asc, ascq);
    }
}
