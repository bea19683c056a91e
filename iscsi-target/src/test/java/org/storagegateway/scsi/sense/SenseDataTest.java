package org.storagegateway.scsi.sense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;

class SenseDataTest {

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void fixedFormatWithFieldPointer() {
        byte[] sense = SenseData.of(CheckCondition.invalidFieldInCdb(0x0102, 3), SenseFormat.FIXED);
        assertArrayEquals(bytes(0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0, 0, 0xCB, 0x01, 0x02), sense);
    }

    @Test
    void fixedFormatParameterListPointerHasNoCommandDataBit() {
        byte[] sense = SenseData.of(CheckCondition.invalidFieldInParameterList(7, -1), SenseFormat.FIXED);
        assertEquals((byte) 0x80, sense[15]);
        assertEquals(7, sense[17]);
    }

    @Test
    void fixedFormatInformationAndTapeFlags() {
        CheckCondition condition = CheckCondition.of(SenseKey.NO_SENSE, AdditionalSense.FILEMARK_DETECTED)
                .withInformation(0x01020304L).withTapeFlags(true, true, true);
        byte[] sense = SenseData.of(condition, SenseFormat.FIXED);
        assertEquals((byte) 0xF0, sense[0], "VALID");
        assertEquals((byte) 0xE0, sense[2], "FILEMARK, EOM, ILI, NO SENSE");
        assertArrayEquals(bytes(1, 2, 3, 4), java.util.Arrays.copyOfRange(sense, 3, 7));
        assertEquals(0, sense[15], "no sense key specific data");
    }

    @Test
    void fixedFormatInformationTooWideIsNotValid() {
        byte[] sense = SenseData.of(CheckCondition.lbaOutOfRange().withInformation(0x1_0000_0000L), SenseFormat.FIXED);
        assertEquals(0x70, sense[0]);
    }

    @Test
    void descriptorFormatCarriesEachPartAsADescriptor() {
        CheckCondition condition = CheckCondition.invalidFieldInCdb(2, -1).withInformation(0x1_0000_0001L)
                .withTapeFlags(false, false, true);
        byte[] sense = SenseData.of(condition, SenseFormat.DESCRIPTOR);
        assertArrayEquals(bytes(
                0x72, 0x05, 0x24, 0x00, 0, 0, 0, 24,
                0x00, 0x0A, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 1,
                0x02, 0x06, 0, 0, 0xC0, 0, 2, 0,
                0x04, 0x02, 0, 0x20), sense);
    }

    @Test
    void descriptorFormatWithoutExtrasIsJustTheHeader() {
        byte[] sense = SenseData.of(SenseKey.UNIT_ATTENTION, AdditionalSense.POWER_ON_OCCURRED,
                SenseFormat.DESCRIPTOR);
        assertArrayEquals(bytes(0x72, 0x06, 0x29, 0x01, 0, 0, 0, 0), sense);
    }

    @Test
    void descriptorFormatCarriesCommandSpecificInformationAndForwardedSense() {
        byte[] sense = SenseData.of(copyAborted(3, 2), SenseFormat.DESCRIPTOR);
        assertArrayEquals(bytes(
                0x72, 0x0A, 0x00, 0x00, 0, 0, 0, 24,
                0x01, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
                0x0C, 10, 0x02, 0x02, 0x72, 0x05, 0x21, 0x00, 0, 0, 0, 0), sense);
    }

    @Test
    void fixedFormatPutsForwardedSenseAfterItsOwnAtTheOffsetCommandSpecificInformationNames() {
        byte[] sense = SenseData.of(copyAborted(1, 1), SenseFormat.FIXED);
        assertEquals(36, sense.length);
        assertEquals(28, sense[7], "ADDITIONAL SENSE LENGTH");
        assertArrayEquals(bytes(18, 0, 0, 1), java.util.Arrays.copyOfRange(sense, 8, 12), "source sense at 18");
        assertEquals(0x70, sense[18]);
        assertEquals(0x21, sense[18 + 12]);
    }

    /** COPY ABORTED in segment {@code segment}, forwarding a copy target's LBA OUT OF RANGE from {@code source}. */
    private static CheckCondition copyAborted(int segment, int source) {
        return CheckCondition.of(SenseKey.COPY_ABORTED, AdditionalSense.NO_ADDITIONAL_SENSE)
                .withCommandSpecificInformation(segment)
                .withForwardedSense(new CheckCondition.ForwardedSense(source, CheckCondition.lbaOutOfRange()));
    }
}
