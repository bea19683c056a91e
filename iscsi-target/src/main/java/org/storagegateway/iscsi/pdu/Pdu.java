package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * The Basic Header Segment of one iSCSI PDU (RFC 7143 §11) as an immutable value. AHS and data segment travel beside
 * it; the lengths of both are given when writing.
 */
public sealed interface Pdu permits NopOutPdu, NopInPdu, ScsiCommandPdu, ScsiResponsePdu, TaskManagementRequestPdu,
        TaskManagementResponsePdu, LoginRequestPdu, LoginResponsePdu, TextRequestPdu, TextResponsePdu, DataOutPdu,
        DataInPdu, LogoutRequestPdu, LogoutResponsePdu, R2tPdu, AsyncMessagePdu, RejectPdu, SnackRequestPdu {

    Opcode opcode();

    /** The Initiator Task Tag (0xFFFFFFFF where the PDU carries none). */
    int initiatorTaskTag();

    /** Appends the 48-byte BHS announcing {@code totalAhsWords} of AHS and a data segment of the given length. */
    void write(ByteBuf out, int totalAhsWords, int dataSegmentLength);

    /** Appends the BHS of a PDU without AHS. */
    default void write(ByteBuf out, int dataSegmentLength) {
        write(out, 0, dataSegmentLength);
    }

    /**
     * Reads the BHS at the buffer's reader index (without moving it).
     *
     * @throws InvalidPduException for an undefined opcode (COMMAND_NOT_SUPPORTED) or an invalid field
     */
    static Pdu read(ByteBuf bhs) {
        if (bhs.readableBytes() < Bhs.LENGTH) {
            throw new InvalidPduException(RejectReason.PROTOCOL_ERROR, "truncated BHS: " + bhs.readableBytes());
        }
        Opcode opcode = Opcode.fromCode(Bhs.opcodeCode(bhs));
        try {
            return opcode.read(bhs);
        } catch (IllegalArgumentException e) {
            throw new InvalidPduException(RejectReason.INVALID_PDU_FIELD, opcode + ": " + e.getMessage());
        }
    }
}
