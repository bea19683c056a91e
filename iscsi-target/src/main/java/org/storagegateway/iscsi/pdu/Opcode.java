package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;

/**
 * iSCSI opcodes (RFC 7143 §11.2.1.2) with their wire codes and the reader of each PDU kind. Codes are kept apart
 * from ordinals; {@link #fromCode} rejects codes the RFC does not define.
 */
public enum Opcode {
    NOP_OUT(0x00, NopOutPdu::read),
    SCSI_COMMAND(0x01, ScsiCommandPdu::read),
    TASK_MANAGEMENT_REQUEST(0x02, TaskManagementRequestPdu::read),
    LOGIN_REQUEST(0x03, LoginRequestPdu::read),
    TEXT_REQUEST(0x04, TextRequestPdu::read),
    SCSI_DATA_OUT(0x05, DataOutPdu::read),
    LOGOUT_REQUEST(0x06, LogoutRequestPdu::read),
    SNACK_REQUEST(0x10, SnackRequestPdu::read),
    NOP_IN(0x20, NopInPdu::read),
    SCSI_RESPONSE(0x21, ScsiResponsePdu::read),
    TASK_MANAGEMENT_RESPONSE(0x22, TaskManagementResponsePdu::read),
    LOGIN_RESPONSE(0x23, LoginResponsePdu::read),
    TEXT_RESPONSE(0x24, TextResponsePdu::read),
    SCSI_DATA_IN(0x25, DataInPdu::read),
    LOGOUT_RESPONSE(0x26, LogoutResponsePdu::read),
    READY_TO_TRANSFER(0x31, R2tPdu::read),
    ASYNC_MESSAGE(0x32, AsyncMessagePdu::read),
    REJECT(0x3F, RejectPdu::read);

    private static final Opcode[] BY_CODE = new Opcode[Bhs.OPCODE_MASK + 1];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;
    private final Function<ByteBuf, Pdu> reader;

    Opcode(int code, Function<ByteBuf, Pdu> reader) {
        this.code = code;
        this.reader = reader;
    }

    public int code() {
        return code;
    }

    /** Whether an initiator sends this opcode (codes below 0x20, RFC 7143 §11.2.1.2). */
    public boolean fromInitiator() {
        return code < 0x20;
    }

    /** Whether the RFC defines this code. */
    public static boolean isDefined(int code) {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code] != null;
    }

    /** Looks an opcode up by its wire code. */
    public static Opcode fromCode(int code) {
        if (!isDefined(code)) {
            throw new InvalidPduException(RejectReason.COMMAND_NOT_SUPPORTED,
                    String.format("opcode 0x%02x is not defined", code));
        }
        return BY_CODE[code];
    }

    Pdu read(ByteBuf bhs) {
        return reader.apply(bhs);
    }
}
