package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.pr.PrFixture.A;
import static org.storagegateway.scsi.pr.PrFixture.B;
import static org.storagegateway.scsi.pr.PrFixture.EA;
import static org.storagegateway.scsi.pr.PrFixture.HOST_C;
import static org.storagegateway.scsi.pr.PrFixture.READ_FULL_STATUS;
import static org.storagegateway.scsi.pr.PrFixture.READ_KEYS;
import static org.storagegateway.scsi.pr.PrFixture.READ_RESERVATION;
import static org.storagegateway.scsi.pr.PrFixture.REGISTER;
import static org.storagegateway.scsi.pr.PrFixture.REPORT_CAPABILITIES;
import static org.storagegateway.scsi.pr.PrFixture.SPEC_I_PT;
import static org.storagegateway.scsi.pr.PrFixture.WE_AR;
import static org.storagegateway.scsi.pr.PrFixture.assertCheckCondition;
import static org.storagegateway.scsi.pr.PrFixture.assertFieldPointer;
import static org.storagegateway.scsi.pr.PrFixture.basic;
import static org.storagegateway.scsi.pr.PrFixture.register;
import static org.storagegateway.scsi.pr.PrFixture.reserve;
import static org.storagegateway.scsi.pr.PrFixture.transportId;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;

/** PERSISTENT RESERVE IN parameter data, byte by byte (SPC-4 §6.15). */
class PrInDataTest {
    private final Reservations reservations = new Reservations(new PrFixture.RecordingEvents());

    private ByteBuffer in(int action) {
        return ByteBuffer.wrap(reservations.persistentReserveIn(A, action));
    }

    @Test
    void emptyReadKeysAndReadReservation() {
        assertArrayEquals(new byte[8], reservations.persistentReserveIn(A, READ_KEYS));
        assertArrayEquals(new byte[8], reservations.persistentReserveIn(A, READ_RESERVATION));
    }

    @Test
    void readKeysListsEveryKeyAndAdditionalLengthCountsThem() {
        register(reservations, A, 0x0102030405060708L);
        register(reservations, B, 0x1112131415161718L);
        ByteBuffer data = in(READ_KEYS);
        assertEquals(24, data.remaining());
        assertEquals(2, data.getInt(0), "PRgeneration");
        assertEquals(16, data.getInt(4), "ADDITIONAL LENGTH = size - 8, as libiscsi checks");
        assertEquals(0x0102030405060708L, data.getLong(8));
        assertEquals(0x1112131415161718L, data.getLong(16));
    }

    @Test
    void readReservationDescriptor() {
        register(reservations, A, 0xAAL);
        reserve(reservations, A, 0xAA, EA);
        ByteBuffer data = in(READ_RESERVATION);
        assertEquals(24, data.remaining());
        assertEquals(16, data.getInt(4));
        assertEquals(0xAAL, data.getLong(8));
        assertEquals(0x03, data.get(21), "LU_SCOPE and Exclusive Access");
    }

    @Test
    void reportCapabilities() {
        byte[] expected = {0x00, 0x08, 0x1C, (byte) 0x80, (byte) 0xEA, 0x01, 0x00, 0x00};
        // length 8; CRH, SIP_C, ATP_C, PTPL_C=0; TMV, ALLOW COMMANDS 000b, PTPL_A=0; all six types; reserved.
        assertArrayEquals(expected, reservations.persistentReserveIn(A, REPORT_CAPABILITIES));
    }

    @Test
    void readFullStatusDescribesEveryRegistration() {
        register(reservations, A, 0x11);
        reservations.persistentReserveOut(B, REGISTER, 0, 0, basic(0, 0x22, SPEC_I_PT, transportId(0, HOST_C)));
        reserve(reservations, A, 0x11, EA);
        ByteBuffer data = in(READ_FULL_STATUS);
        byte[] idA = TransportId.of(A).encode();
        byte[] idB = TransportId.of(B).encode();
        byte[] idC = new TransportId(HOST_C, null).encode();
        int length = 3 * 24 + idA.length + idB.length + idC.length;
        assertEquals(2, data.getInt(0), "two registering commands, however many registrations");
        assertEquals(length, data.getInt(4));
        assertEquals(8 + length, data.remaining());

        int offset = 8;
        offset = assertDescriptor(data, offset, 0x11, true, 0x03, 1, idA);
        offset = assertDescriptor(data, offset, 0x22, false, 0, 1, idB);
        offset = assertDescriptor(data, offset, 0x22, false, 0, 1, idC);
        assertEquals(data.limit(), offset);
        assertEquals(0x45, idA[0], "an initiator port: format 01b");
        assertEquals(0x05, idC[0], "an initiator device: format 00b");
    }

    @Test
    void readFullStatusUnderAllRegistrantsMarksEveryoneHolder() {
        register(reservations, A, 0x11);
        register(reservations, B, 0x22);
        reserve(reservations, A, 0x11, WE_AR);
        ByteBuffer data = in(READ_FULL_STATUS);
        int offset = assertDescriptor(data, 8, 0x11, true, WE_AR, 1, TransportId.of(A).encode());
        assertDescriptor(data, offset, 0x22, true, WE_AR, 1, TransportId.of(B).encode());
    }

    private static int assertDescriptor(ByteBuffer data, int offset, long key, boolean holder, int type, int port,
                                        byte[] transportId) {
        assertEquals(key, data.getLong(offset));
        assertEquals(holder ? 1 : 0, data.get(offset + 12) & 0x01, "R_HOLDER");
        assertEquals(type, data.get(offset + 13));
        assertEquals(port, data.getShort(offset + 18));
        assertEquals(transportId.length, data.getInt(offset + 20));
        byte[] actual = new byte[transportId.length];
        data.get(offset + 24, actual);
        assertArrayEquals(transportId, actual);
        return offset + 24 + transportId.length;
    }

    @Test
    void reservedServiceActionsAreInvalidFieldInCdb() {
        // libiscsi test_prin_serviceaction_range: 0..3 work, 4..1Fh fail.
        for (int action = 4; action < 0x20; action++) {
            int serviceAction = action;
            assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_CDB,
                    () -> reservations.persistentReserveIn(A, serviceAction)), true, 1, 4);
        }
    }

    @Test
    void responsesAreFreshCopies() {
        register(reservations, A, 1);
        byte[] first = reservations.persistentReserveIn(A, READ_KEYS);
        Arrays.fill(first, (byte) 0);
        ItNexus anyone = B;
        assertEquals(1, ByteBuffer.wrap(reservations.persistentReserveIn(anyone, READ_KEYS)).getLong(8));
    }
}
