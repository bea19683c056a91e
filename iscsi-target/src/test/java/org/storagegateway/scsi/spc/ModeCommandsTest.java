package org.storagegateway.scsi.spc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.TargetDriver.ALICE;
import static org.storagegateway.scsi.TargetDriver.BOB;
import static org.storagegateway.scsi.TargetDriver.assertCheckCondition;
import static org.storagegateway.scsi.TargetDriver.assertFieldPointer;
import static org.storagegateway.scsi.TargetDriver.assertGood;
import static org.storagegateway.scsi.TargetDriver.dataIn;
import static org.storagegateway.scsi.TargetDriver.sense;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.FakeLogicalUnit;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.TargetDriver;

class ModeCommandsTest {
    private static final int PF = 0x10;
    private static final int CONTROL_LENGTH = 12;
    private static final int CACHING_LENGTH = 20;

    private final FakeLogicalUnit unit = new FakeLogicalUnit();
    private final TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);

    private ScsiResult modeSense6(int dbd, int pageControl, int page, int subpage) {
        return driver.in(ALICE, 0, 255, 0x1A, dbd, (pageControl << 6) | page, subpage, 255, 0);
    }

    private ScsiResult modeSense10(int byte1, int page, int subpage) {
        return driver.in(ALICE, 0, 1024, 0x5A, byte1, page, subpage, 0, 0, 0, 0x04, 0x00, 0);
    }

    private ScsiResult modeSelect6(int byte1, byte[] parameters) {
        return driver.out(ALICE, 0, parameters, 0x15, byte1, 0, 0, parameters.length, 0);
    }

    private static byte[] controlPageSelect6(int byte2) {
        return controlPageSelect6(byte2, 0);
    }

    private static byte[] controlPageSelect6(int byte2, int byte4) {
        byte[] list = new byte[4 + CONTROL_LENGTH];
        list[4] = 0x0A;
        list[5] = 0x0A;
        list[6] = (byte) byte2;
        list[8] = (byte) byte4;
        list[12] = (byte) 0xFF;
        list[13] = (byte) 0xFF;
        return list;
    }

    @Test
    void modeSense6ReturnsHeaderBlockDescriptorAndPage() {
        byte[] data = dataIn(modeSense6(0, 0, 0x0A, 0));
        assertEquals(4 + 8 + CONTROL_LENGTH, data.length);
        assertEquals(data.length - 1, data[0], "MODE DATA LENGTH");
        assertEquals(0x10, data[2], "device-specific parameter");
        assertEquals(8, data[3], "block descriptor length");
        assertArrayEquals(new byte[] {0, 0, 0, 16, 0, 0, 2, 0}, Arrays.copyOfRange(data, 4, 12));
        assertEquals(0x0A, data[12]);
        assertEquals(0x0A, data[13]);
        assertEquals(0x02, data[14], "GLTSD, D_SENSE clear");
    }

    @Test
    void dbdLeavesOutTheBlockDescriptor() {
        byte[] data = dataIn(modeSense6(0x08, 0, 0x0A, 0));
        assertEquals(4 + CONTROL_LENGTH, data.length);
        assertEquals(0, data[3]);
    }

    @Test
    void allPagesComeInPageCodeOrder() {
        byte[] data = dataIn(modeSense6(0x08, 0, 0x3F, 0));
        assertEquals(4 + CACHING_LENGTH + CONTROL_LENGTH, data.length);
        assertEquals(0x08, data[4]);
        assertEquals(0x0A, data[4 + CACHING_LENGTH]);
        assertArrayEquals(data, dataIn(modeSense6(0x08, 0, 0x3F, 0xFF)));
    }

    @Test
    void changeableValuesShowOnlyDSense() {
        byte[] data = dataIn(modeSense6(0x08, 1, 0x0A, 0));
        assertEquals(0x04, data[6]);
        for (int i = 7; i < data.length; i++) {
            assertEquals(0, data[i], "byte " + i);
        }
    }

    @Test
    void swpIsFixedOnAUnitThatDoesNotSupportIt() {
        byte[] sense = assertCheckCondition(modeSelect6(PF, controlPageSelect6(0x02, 0x08)),
                SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST);
        assertFieldPointer(sense, false, 8, 3);
        assertEquals(0, dataIn(modeSense6(0x08, 0, 0x0A, 0))[8], "SWP stays 0");
    }

    @Test
    void savedValuesAreNotSupported() {
        assertCheckCondition(modeSense6(0, 3, 0x0A, 0), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.SAVING_PARAMETERS_NOT_SUPPORTED);
    }

    @Test
    void unknownPageOrSubpageIsInvalidField() {
        assertFieldPointer(assertCheckCondition(modeSense6(0, 0, 0x1C, 0), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB), true, 2, -1);
        assertFieldPointer(assertCheckCondition(modeSense6(0, 0, 0x0A, 0x01), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB), true, 3, -1);
    }

    @Test
    void modeSense10WithLongLbaAccepted() {
        byte[] data = dataIn(modeSense10(0x10, 0x0A, 0));
        assertEquals(8 + 16 + CONTROL_LENGTH, data.length);
        assertEquals(data.length - 2, ((data[0] & 0xFF) << 8) | (data[1] & 0xFF));
        assertEquals(0x10, data[3]);
        assertEquals(0x01, data[4], "LONGLBA");
        assertEquals(16, data[7]);
        byte[] shortDescriptor = dataIn(modeSense10(0, 0x0A, 0));
        assertEquals(0, shortDescriptor[4]);
        assertEquals(8, shortDescriptor[7]);
    }

    @Test
    void settingDSenseSwitchesCheckConditionsToDescriptorFormat() {
        byte[] fixed = sense(driver.in(ALICE, 0, 0, 0xC7, 0, 0, 0, 0, 0));
        assertEquals(0x70, fixed[0]);

        assertGood(modeSelect6(PF, controlPageSelect6(0x06)));
        assertEquals(0x06, dataIn(modeSense6(0x08, 0, 0x0A, 0))[6]);

        ScsiResult result = driver.in(ALICE, 0, 0, 0xC7, 0, 0, 0, 0, 0);
        assertEquals(ScsiStatus.CHECK_CONDITION, result.status());
        byte[] descriptor = sense(result);
        assertEquals(0x72, descriptor[0]);
        assertEquals(SenseKey.ILLEGAL_REQUEST.code(), descriptor[1]);
        assertEquals(0x20, descriptor[2]);
        assertEquals(0x00, descriptor[3]);
        assertEquals(8, descriptor[7]);
        // Sense key specific descriptor carrying the field pointer at the opcode.
        assertArrayEquals(new byte[] {0x02, 0x06, 0, 0, (byte) 0xC0, 0, 0, 0}, Arrays.copyOfRange(descriptor, 8, 16));

        assertGood(modeSelect6(PF, controlPageSelect6(0x02)));
        assertEquals(0x70, sense(driver.in(ALICE, 0, 0, 0xC7, 0, 0, 0, 0, 0))[0]);
    }

    @Test
    void aChangeRaisesModeParametersChangedForTheOtherNexusOnly() {
        assertGood(modeSelect6(PF, controlPageSelect6(0x06)));
        assertGood(driver.in(ALICE, 0, 0, 0x00, 0, 0, 0, 0, 0));
        ScsiResult bob = driver.in(BOB, 0, 0, 0x00, 0, 0, 0, 0, 0);
        assertEquals(ScsiStatus.CHECK_CONDITION, bob.status());
        byte[] sense = sense(bob);
        assertEquals(0x72, sense[0], "D_SENSE is the logical unit's, shared by all nexuses");
        assertEquals(SenseKey.UNIT_ATTENTION.code(), sense[1]);
        assertEquals(AdditionalSense.MODE_PARAMETERS_CHANGED, new AdditionalSense(sense[2], sense[3]));

        assertGood(modeSelect6(PF, controlPageSelect6(0x06)));
        assertGood(driver.in(BOB, 0, 0, 0x00, 0, 0, 0, 0, 0));
    }

    @Test
    void aDevicePageIsSelectedThroughItsChangeableMask() {
        byte[] list = new byte[4 + CACHING_LENGTH];
        list[4] = 0x08;
        list[5] = 0x12;
        list[6] = 0x04;
        assertGood(modeSelect6(PF, list));
        assertEquals(0x04, unit.cachingPage().current()[2]);
    }

    @Test
    void changingAFixedBitPointsAtItInTheParameterList() {
        byte[] sense = assertCheckCondition(modeSelect6(PF, controlPageSelect6(0x22)), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST);
        assertFieldPointer(sense, false, 6, 5);
        assertEquals(0x02, dataIn(modeSense6(0x08, 0, 0x0A, 0))[6], "nothing applied");
    }

    @Test
    void aRefusedPageLeavesEarlierPagesUnapplied() {
        byte[] list = new byte[4 + CACHING_LENGTH + CONTROL_LENGTH];
        list[4] = 0x08;
        list[5] = 0x12;
        list[6] = 0x04;
        list[4 + CACHING_LENGTH] = 0x0A;
        list[4 + CACHING_LENGTH + 1] = 0x0A;
        list[4 + CACHING_LENGTH + 2] = 0x03;
        list[4 + CACHING_LENGTH + 8] = (byte) 0xFF;
        list[4 + CACHING_LENGTH + 9] = (byte) 0xFF;
        assertFieldPointer(assertCheckCondition(modeSelect6(PF, list), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST), false, 4 + CACHING_LENGTH + 2, 0);
        assertEquals(0, unit.cachingPage().current()[2]);
    }

    @Test
    void unknownPageAndWrongPageLengthAreRefused() {
        byte[] unknown = controlPageSelect6(0x02);
        unknown[4] = 0x1C;
        assertFieldPointer(assertCheckCondition(modeSelect6(PF, unknown), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST), false, 4, 5);
        byte[] wrongLength = controlPageSelect6(0x02);
        wrongLength[5] = 0x08;
        assertFieldPointer(assertCheckCondition(modeSelect6(PF, wrongLength), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST), false, 5, -1);
    }

    @Test
    void truncatedListIsAParameterListLengthError() {
        assertCheckCondition(modeSelect6(PF, Arrays.copyOf(controlPageSelect6(0x02), 10)), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.PARAMETER_LIST_LENGTH_ERROR);
        assertCheckCondition(modeSelect6(PF, new byte[3]), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void pfIsRequiredAndSavingIsRefused() {
        assertFieldPointer(assertCheckCondition(modeSelect6(0, controlPageSelect6(0x02)), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB), true, 1, 4);
        assertFieldPointer(assertCheckCondition(modeSelect6(PF | 1, controlPageSelect6(0x02)),
                SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB), true, 1, 0);
    }

    @Test
    void blockDescriptorMayOnlyRepeatTheCurrentOne() {
        byte[] same = new byte[4 + 8];
        same[3] = 8;
        System.arraycopy(unit.modeBlockDescriptor(false), 0, same, 4, 8);
        assertGood(modeSelect6(PF, same));
        byte[] other = same.clone();
        other[10] = 0x10;
        assertFieldPointer(assertCheckCondition(modeSelect6(PF, other), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST), false, 10, -1);
        byte[] oddLength = same.clone();
        oddLength[3] = 4;
        assertFieldPointer(assertCheckCondition(modeSelect6(PF, oddLength), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST), false, 3, -1);
    }

    @Test
    void modeSelect10TakesAnEightByteHeader() {
        byte[] list = new byte[8 + CONTROL_LENGTH];
        list[8] = 0x0A;
        list[9] = 0x0A;
        list[10] = 0x06;
        list[16] = (byte) 0xFF;
        list[17] = (byte) 0xFF;
        assertGood(driver.out(ALICE, 0, list, 0x55, PF, 0, 0, 0, 0, 0, 0, list.length, 0));
        assertEquals(0x06, dataIn(modeSense6(0x08, 0, 0x0A, 0))[6]);
    }

    @Test
    void modeSelectConflictsWithAnotherNexussReservationButModeSenseDoesNot() {
        assertGood(driver.in(BOB, 0, 0, 0x16, 0, 0, 0, 0, 0));
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, modeSelect6(PF, controlPageSelect6(0x06)).status());
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, modeSense6(0, 0, 0x0A, 0).status(),
                "RESERVE(6) lets only INQUIRY, REPORT LUNS, REQUEST SENSE and RELEASE through");
    }
}
