package org.storagegateway.scsi.spc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.TargetDriver.ALICE;
import static org.storagegateway.scsi.TargetDriver.assertCheckCondition;
import static org.storagegateway.scsi.TargetDriver.assertFieldPointer;
import static org.storagegateway.scsi.TargetDriver.assertGood;
import static org.storagegateway.scsi.TargetDriver.dataIn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.FakeLogicalUnit;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.TargetDriver;

class InquiryTest {
    private final TargetDriver driver = TargetDriver.withUnitAtLunZero(new FakeLogicalUnit());

    private ScsiResult inquiry(int evpd, int page, int allocationLength) {
        return driver.in(ALICE, 0, allocationLength, 0x12, evpd, page, allocationLength >> 8, allocationLength & 0xFF,
                0);
    }

    private static String ascii(byte[] data, int from, int to) {
        return new String(Arrays.copyOfRange(data, from, to), StandardCharsets.US_ASCII);
    }

    @Test
    void standardDataDescribesAnSpc4DeviceWithCommandQueuing() {
        ScsiResult result = inquiry(0, 0, 255);
        assertGood(result);
        byte[] data = dataIn(result);
        assertEquals(96, data.length);
        assertEquals(0x00, data[0], "qualifier 000b, direct access");
        assertEquals(0x00, data[1], "not removable");
        assertEquals(0x06, data[2], "VERSION: SPC-4");
        assertEquals(0x12, data[3], "HISUP and RESPONSE DATA FORMAT 2");
        assertEquals(91, data[4], "ADDITIONAL LENGTH");
        assertEquals(0x00, data[5], "TPGS 00b: no ALUA");
        assertEquals(0x02, data[7], "CMDQUE");
        assertEquals("SGW     ", ascii(data, 8, 16));
        assertEquals("FAKE DISK       ", ascii(data, 16, 32));
        assertEquals("0001", ascii(data, 32, 36));
        assertArrayEquals(new byte[] {0x00, (byte) 0xA0, 0x04, 0x60, 0, 0}, Arrays.copyOfRange(data, 58, 64));
        assertEquals(new Residual(true, false, 255 - 96), result.residual());
    }

    @Test
    void allocationLengthTruncatesWithoutResidualAgainstAMatchingExpectedLength() {
        ScsiResult result = inquiry(0, 0, 36);
        assertEquals(36, dataIn(result).length);
        assertEquals(Residual.NONE, result.residual());
        assertEquals(5, dataIn(inquiry(0, 0, 5)).length);
    }

    @Test
    void pageCodeWithoutEvpdAndCmddtAreRefused() {
        byte[] sense = assertCheckCondition(inquiry(0, 0x80, 255), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB);
        assertFieldPointer(sense, true, 2, -1);
        sense = assertCheckCondition(inquiry(0x02, 0, 255), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB);
        assertFieldPointer(sense, true, 1, 1);
    }

    @Test
    void supportedPagesListTheLayersPagesAndTheDevicesInOrder() {
        byte[] data = dataIn(inquiry(1, 0x00, 255));
        assertArrayEquals(new byte[] {0x00, 0x00, 0x00, 0x04, 0x00, (byte) 0x80, (byte) 0x83, (byte) 0xB0}, data);
        assertEquals(0x3C, dataIn(inquiry(1, 0xB0, 255)).length - 4, "the device's own page is served");
    }

    @Test
    void unknownPageIsInvalidFieldAtThePageCode() {
        byte[] sense = assertCheckCondition(inquiry(1, 0xC5, 255), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB);
        assertFieldPointer(sense, true, 2, -1);
    }

    @Test
    void unitSerialNumberPage() {
        byte[] data = dataIn(inquiry(1, 0x80, 255));
        assertEquals((byte) 0x80, data[1]);
        assertEquals(10, data[3]);
        assertEquals("SERIAL0042", ascii(data, 4, data.length));
    }

    @Test
    void deviceIdentificationNamesTheUnitThePortAndTheTarget() {
        byte[] data = dataIn(inquiry(1, 0x83, 1024));
        assertEquals((byte) 0x83, data[1]);
        assertEquals(data.length - 4, ((data[2] & 0xFF) << 8) | (data[3] & 0xFF), "PAGE LENGTH");

        int at = 4;
        // NAA, binary, logical unit association.
        assertArrayEquals(new byte[] {0x01, 0x03, 0x00, 16}, Arrays.copyOfRange(data, at, at + 4));
        assertEquals(0x60, data[at + 4]);
        assertEquals(0x42, data[at + 19]);
        at += 20;
        // T10 vendor ID, ASCII, logical unit association: vendor padded to 8, then the serial number.
        assertArrayEquals(new byte[] {0x02, 0x01, 0x00, 18}, Arrays.copyOfRange(data, at, at + 4));
        assertEquals("SGW     SERIAL0042", ascii(data, at + 4, at + 22));
        at += 22;
        // Relative target port, iSCSI, PIV, target port association.
        assertArrayEquals(new byte[] {0x51, (byte) 0x94, 0x00, 4, 0, 0, 0, 1}, Arrays.copyOfRange(data, at, at + 8));
        at += 8;
        // SCSI name string of the target port, UTF-8, null-terminated and padded to a multiple of 4.
        String port = "iqn.2026-11.org.storagegateway:vol1,t,0x0001";
        int portLength = (port.length() + 1 + 3) & ~3;
        assertArrayEquals(new byte[] {0x53, (byte) 0x98, 0x00, (byte) portLength},
                Arrays.copyOfRange(data, at, at + 4));
        assertEquals(port, ascii(data, at + 4, at + 4 + port.length()));
        assertEquals(0, data[at + 4 + port.length()]);
        at += 4 + portLength;
        // SCSI name string of the target device.
        String target = "iqn.2026-11.org.storagegateway:vol1";
        assertArrayEquals(new byte[] {0x53, (byte) 0xA8, 0x00, (byte) ((target.length() + 4) & ~3)},
                Arrays.copyOfRange(data, at, at + 4));
        assertEquals(target, ascii(data, at + 4, at + 4 + target.length()));
        at += 4 + ((target.length() + 4) & ~3);
        assertEquals(data.length, at, "nothing else follows");
    }

    @Test
    void vpdOnALunWithoutUnitListsNoPages() {
        ScsiResult result = driver.in(ALICE, 3, 255, 0x12, 1, 0, 0, 255, 0);
        assertGood(result);
        assertArrayEquals(new byte[] {0x7F, 0, 0, 0}, dataIn(result));
        assertCheckCondition(driver.in(ALICE, 3, 255, 0x12, 1, 0x83, 0, 255, 0), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB);
    }
}
