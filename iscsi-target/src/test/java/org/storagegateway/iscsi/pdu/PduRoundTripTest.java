package org.storagegateway.iscsi.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.TaskAttribute;

class PduRoundTripTest {
    private static final byte[] ISID = {0x40, 0, 0, 1, 0, 2};

    @Test
    void everyPduKindSurvivesWriteThenRead() {
        byte[] cdb = new byte[16];
        cdb[0] = 0x28;
        List<Pdu> pdus = List.of(
                new NopOutPdu(false, 5L << 48, 1, Bhs.NO_TAG, 10, 20),
                new NopInPdu(0, Bhs.NO_TAG, 77, 3, 4, 5),
                new ScsiCommandPdu(false, true, true, false, TaskAttribute.SIMPLE, 1L << 48, 9, 4096, 11, 12, cdb),
                new ScsiResponsePdu(0, 2, Residual.NONE, new Residual(true, false, 512), 9, 13, 14, 15, 2),
                new TaskManagementRequestPdu(true, TaskFunction.ABORT_TASK, 0, 20, 9, 16, 17, 11, 0),
                new TaskManagementResponsePdu(TaskManagementResponseCode.TASK_DOES_NOT_EXIST, 20, 18, 19, 20),
                new LoginRequestPdu(true, false, 1, 3, 0, 0, ISID, 0, 21, 1, 22, 23),
                new LoginResponsePdu(true, false, 1, 3, 0, 0, ISID, 99, 21, 24, 25, 26, 0, 0),
                new TextRequestPdu(false, true, false, 0, 30, Bhs.NO_TAG, 27, 28),
                new TextResponsePdu(false, true, 0, 30, 0x1234, 29, 30, 31),
                new DataOutPdu(true, 0, 9, 0x55, 32, 3, 8192),
                new DataInPdu(true, true, 0, new Residual(false, true, 100), 0, 9, Bhs.NO_TAG, 33, 34, 35, 4, 16384),
                new LogoutRequestPdu(true, LogoutReason.CLOSE_SESSION, 40, 1, 36, 37),
                new LogoutResponsePdu(LogoutResponseCode.CLOSED_SUCCESSFULLY, 40, 38, 39, 40, 2, 20),
                new R2tPdu(0, 9, 0x55, 41, 42, 43, 1, 65536, 262144),
                new AsyncMessagePdu(0, 44, 45, 46, AsyncMessagePdu.EVENT_LOGOUT_REQUESTED, 0, 0, 0, 5),
                new RejectPdu(RejectReason.INVALID_PDU_FIELD, 47, 48, 49, 0),
                new SnackRequestPdu(1, 0, 9, Bhs.NO_TAG, 50, 0, 0));
        for (Pdu pdu : pdus) {
            ByteBuf buffer = Unpooled.buffer();
            pdu.write(buffer, 0, 7);
            assertEquals(Bhs.LENGTH, buffer.readableBytes(), pdu.opcode().toString());
            assertEquals(7, Bhs.dataSegmentLength(buffer));
            assertEquals(pdu.opcode().code(), Bhs.opcodeCode(buffer));
            assertEquals(pdu, Pdu.read(buffer), pdu.opcode().toString());
        }
    }

    @Test
    void opcodeLookupRejectsUndefinedCodes() {
        assertEquals(Opcode.SCSI_DATA_OUT, Opcode.fromCode(0x05));
        InvalidPduException error = assertThrows(InvalidPduException.class, () -> Opcode.fromCode(0x1C));
        assertEquals(RejectReason.COMMAND_NOT_SUPPORTED, error.reason());
        ByteBuf buffer = Unpooled.buffer().writeZero(Bhs.LENGTH);
        buffer.setByte(0, 0x3E);
        assertEquals(RejectReason.COMMAND_NOT_SUPPORTED,
                assertThrows(InvalidPduException.class, () -> Pdu.read(buffer)).reason());
    }

    @Test
    void invalidFieldsBecomeInvalidPduField() {
        ByteBuf buffer = Unpooled.buffer();
        new LoginRequestPdu(false, false, 0, 0, 0, 0, ISID, 0, 1, 1, 1, 1).write(buffer, 0);
        buffer.setByte(1, 0x80 | (2 << 2) | 3);   // CSG 2 is reserved
        assertEquals(RejectReason.INVALID_PDU_FIELD,
                assertThrows(InvalidPduException.class, () -> Pdu.read(buffer)).reason());

        ByteBuf command = Unpooled.buffer();
        new ScsiCommandPdu(false, true, true, false, TaskAttribute.SIMPLE, 0, 1, 512, 1, 1, new byte[16])
                .write(command, 0);
        command.setByte(1, command.getByte(1) | 0x07);   // ATTR 7 is reserved
        assertEquals(RejectReason.INVALID_PDU_FIELD,
                assertThrows(InvalidPduException.class, () -> Pdu.read(command)).reason());
    }

    @Test
    void extendedCdbComesFromTheAhs() {
        byte[] cdb = new byte[16];
        cdb[0] = 0x7F;
        ScsiCommandPdu pdu = new ScsiCommandPdu(false, true, false, false, TaskAttribute.SIMPLE, 0, 1, 0, 1, 1, cdb);
        ByteBuf ahs = Unpooled.buffer();
        ahs.writeShort(1 + 16).writeByte(ScsiCommandPdu.AHS_TYPE_EXTENDED_CDB).writeByte(0);
        for (int i = 0; i < 16; i++) {
            ahs.writeByte(100 + i);
        }
        ahs.writeZero(Bhs.padded(20) - 20);
        byte[] full = pdu.fullCdb(ahs);
        assertEquals(32, full.length);
        assertEquals(0x7F, full[0]);
        assertEquals(115, full[31]);
        assertArrayEquals(cdb, pdu.fullCdb(Unpooled.EMPTY_BUFFER));
    }
}
