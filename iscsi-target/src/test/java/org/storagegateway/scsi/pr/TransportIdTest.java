package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.pr.PrFixture.A;
import static org.storagegateway.scsi.pr.PrFixture.HOST_A;
import static org.storagegateway.scsi.pr.PrFixture.assertCheckCondition;
import static org.storagegateway.scsi.pr.PrFixture.assertFieldPointer;
import static org.storagegateway.scsi.pr.PrFixture.transportId;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;

class TransportIdTest {

    private static TransportId decode(byte[] bytes) {
        return TransportId.decode(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    private static CheckCondition rejects(byte[] bytes) {
        return assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST, () -> decode(bytes));
    }

    @Test
    void decodesPortNameFormat() {
        TransportId id = decode(transportId(1, "iqn.1994-05.com.redhat:host-a,i,0x23D000000001"));
        assertEquals(HOST_A, id.iscsiName());
        assertEquals("23d000000001", id.isid());
    }

    @Test
    void decodesDeviceNameFormat() {
        TransportId id = decode(transportId(0, "IQN.1994-05.com.redhat:Host-A"));
        assertEquals(HOST_A, id.iscsiName(), "iSCSI names compare case-folded (RFC 3722)");
        assertNull(id.isid());
    }

    @Test
    void encodeRoundTripsAndPadsToMultipleOfFour() {
        for (TransportId id : new TransportId[] {new TransportId(HOST_A, "23d000000001"), new TransportId("iqn.x", null)}) {
            byte[] encoded = id.encode();
            assertEquals(0, encoded.length % 4);
            assertTrue(encoded.length >= TransportId.MINIMUM_LENGTH);
            assertEquals(encoded.length, TransportId.encodedLength(ByteBuffer.wrap(encoded), 0));
            assertEquals(id, decode(encoded));
        }
        assertEquals(0x45, new TransportId(HOST_A, "23d000000001").encode()[0] & 0xFF, "format 01b, protocol 5h");
        assertEquals(0x05, new TransportId(HOST_A, null).encode()[0] & 0xFF, "format 00b, protocol 5h");
        // The name "iqn.x" needs 6 bytes with its NUL, still padded up to the minimum of 20.
        assertArrayEquals(transportId(0, "iqn.x"), new TransportId("iqn.x", null).encode());
    }

    @Test
    void ofNexusParsesTheIscsiInitiatorPortName() {
        TransportId id = TransportId.of(A);
        assertEquals(new TransportId(HOST_A, "23d000000001"), id);
        ItNexus other = new ItNexus("naa.5001", "naa.5001", "t", 1);
        assertEquals(new TransportId("naa.5001", null), TransportId.of(other), "other transports: port name stands");
    }

    @Test
    void deviceNameCoversEveryPortOfTheDevice() {
        TransportId device = new TransportId(HOST_A, null);
        TransportId port1 = new TransportId(HOST_A, "000000000001");
        TransportId port2 = new TransportId(HOST_A, "000000000002");
        assertTrue(device.covers(port1));
        assertTrue(port1.covers(port1));
        assertFalse(port1.covers(port2));
        assertFalse(port1.covers(device));
        assertTrue(port1.overlaps(device));
        assertFalse(port1.overlaps(port2));
        assertFalse(device.overlaps(new TransportId("iqn.other", null)));
    }

    @Test
    void rejectsOtherProtocols() {
        byte[] fibreChannel = transportId(0, HOST_A);
        fibreChannel[0] = 0x00;
        assertFieldPointer(rejects(fibreChannel), false, 0, 3);
    }

    @Test
    void rejectsReservedFormats() {
        byte[] id = transportId(2, HOST_A);
        assertFieldPointer(rejects(id), false, 0, 7);
        assertFieldPointer(rejects(transportId(3, HOST_A)), false, 0, 7);
    }

    @Test
    void rejectsBadAdditionalLengths() {
        byte[] id = transportId(0, HOST_A);
        ByteBuffer.wrap(id).putShort(2, (short) 30); // not a multiple of 4
        assertFieldPointer(rejects(id), false, 2, 7);
        ByteBuffer.wrap(id).putShort(2, (short) 16); // below the minimum of 20
        rejects(id);
        ByteBuffer.wrap(id).putShort(2, (short) (id.length)); // runs past the end
        rejects(id);
    }

    @Test
    void rejectsTruncatedTransportId() {
        byte[] shortId = new byte[20];
        shortId[0] = 0x05;
        assertFieldPointer(rejects(shortId), false, 0, -1);
    }

    @Test
    void rejectsMissingTerminatorAndEmptyName() {
        byte[] unterminated = transportId(0, "iqn.abcdefghijklmnopq");
        for (int i = 4; i < unterminated.length; i++) {
            unterminated[i] = 'a';
        }
        assertFieldPointer(rejects(unterminated), false, 4, -1);
        rejects(transportId(0, ""));
    }

    @Test
    void rejectsMalformedPortNames() {
        rejects(transportId(1, HOST_A));                         // no ",i,0x" separator
        rejects(transportId(1, HOST_A + ",i,0x23d00000000"));    // 11 ISID digits
        rejects(transportId(1, HOST_A + ",i,0x23d00000000g"));   // not hex
        rejects(transportId(1, ",i,0x23d000000001"));            // no name
        rejects(transportId(0, HOST_A + ",i,0x23d000000001"));   // a port name in device name format
        rejects(transportId(0, "iqn.has space"));
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] id = transportId(0, "iqn.abc");
        id[6] = (byte) 0xC3; // a lead byte followed by 'c'
        rejects(id);
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new TransportId("", null));
        assertThrows(IllegalArgumentException.class, () -> new TransportId("iqn.a\0b", null));
        assertThrows(IllegalArgumentException.class, () -> new TransportId(HOST_A, "12"));
    }

    @Test
    void rejectsOverlongNames() {
        rejects(transportId(0, "iqn." + "a".repeat(220)));
        assertEquals(224, decode(transportId(0, "iqn." + "a".repeat(219))).iscsiName().length() + 1);
    }

    @Test
    void anyNexusHasAnIdentityEvenWithAnOddName() {
        ItNexus odd = new ItNexus("iqn.odd name", "iqn.odd name,i,0x000000000001", "t", 1);
        assertEquals(new TransportId("iqn.odd name", "000000000001"), TransportId.of(odd));
    }
}
