package org.storagegateway.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.TargetDriver.ALICE;
import static org.storagegateway.scsi.TargetDriver.BOB;
import static org.storagegateway.scsi.TargetDriver.additionalSense;
import static org.storagegateway.scsi.TargetDriver.assertCheckCondition;
import static org.storagegateway.scsi.TargetDriver.assertFieldPointer;
import static org.storagegateway.scsi.TargetDriver.assertGood;
import static org.storagegateway.scsi.TargetDriver.dataIn;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.spc.LunAddress;

class ScsiTargetTest {
    private static final int[] TEST_UNIT_READY = {0x00, 0, 0, 0, 0, 0};
    private static final int[] STANDARD_INQUIRY = {0x12, 0, 0, 0, 96, 0};
    private static final int[] REPORT_LUNS = {0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
    private static final int[] REQUEST_SENSE = {0x03, 0, 0, 0, 18, 0};

    private final FakeLogicalUnit unit = new FakeLogicalUnit();

    private static int[] read10(int lba, int blocks) {
        return new int[] {FakeLogicalUnit.READ, 0, 0, 0, 0, lba, 0, blocks >> 8, blocks & 0xFF, 0};
    }

    private static int[] write10(int lba, int blocks) {
        return new int[] {FakeLogicalUnit.WRITE, 0, 0, 0, 0, lba, 0, blocks >> 8, blocks & 0xFF, 0};
    }

    private static byte[] filled(int length, char c) {
        byte[] data = new byte[length];
        java.util.Arrays.fill(data, (byte) c);
        return data;
    }

    @Test
    void powerOnUnitAttentionIsReportedOncePerNexus() {
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, unit).build();
        target.nexusAdded(ALICE);
        target.nexusAdded(BOB);
        TargetDriver driver = new TargetDriver(target);

        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
        assertGood(driver.in(ALICE, 0, 0, TEST_UNIT_READY));
        assertCheckCondition(driver.in(BOB, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
        assertGood(driver.in(BOB, 0, 0, TEST_UNIT_READY));
    }

    @Test
    void inquiryAndReportLunsNeitherReportNorClearUnitAttentions() {
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, unit).build();
        target.nexusAdded(ALICE);
        TargetDriver driver = new TargetDriver(target);

        assertGood(driver.in(ALICE, 0, 96, STANDARD_INQUIRY));
        assertGood(driver.in(ALICE, 0, 256, REPORT_LUNS));
        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
    }

    @Test
    void requestSenseReturnsTheUnitAttentionAndClearsIt() {
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, unit).build();
        target.nexusAdded(ALICE);
        TargetDriver driver = new TargetDriver(target);

        ScsiResult first = driver.in(ALICE, 0, 18, REQUEST_SENSE);
        assertGood(first);
        byte[] sense = dataIn(first);
        assertEquals(18, sense.length);
        assertEquals(0x70, sense[0]);
        assertEquals(SenseKey.UNIT_ATTENTION.code(), sense[2]);
        assertEquals(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED, additionalSense(sense));

        byte[] none = dataIn(driver.in(ALICE, 0, 18, REQUEST_SENSE));
        assertEquals(SenseKey.NO_SENSE.code(), none[2]);
        assertEquals(AdditionalSense.NO_ADDITIONAL_SENSE, additionalSense(none));
        assertGood(driver.in(ALICE, 0, 0, TEST_UNIT_READY));
    }

    @Test
    void unitAttentionsComeOldestFirst() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        unit.context().establishUnitAttention(AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
        unit.context().establishUnitAttentionExcept(BOB, AdditionalSense.MODE_PARAMETERS_CHANGED);

        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.MODE_PARAMETERS_CHANGED);
        assertGood(driver.in(ALICE, 0, 0, TEST_UNIT_READY));
        assertCheckCondition(driver.in(BOB, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
        assertGood(driver.in(BOB, 0, 0, TEST_UNIT_READY));
    }

    @Test
    void aLunWithoutUnitAnswersOnlyInquiryReportLunsAndRequestSense() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);

        ScsiResult inquiry = driver.in(ALICE, 7, 96, STANDARD_INQUIRY);
        assertGood(inquiry);
        assertEquals(0x7F, dataIn(inquiry)[0] & 0xFF, "peripheral qualifier 011b, type 1Fh");

        ScsiResult luns = driver.in(ALICE, 7, 256, REPORT_LUNS);
        assertGood(luns);
        assertArrayEquals(new byte[] {0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, dataIn(luns));

        ScsiResult sense = driver.in(ALICE, 7, 18, REQUEST_SENSE);
        assertGood(sense);
        assertEquals(SenseKey.ILLEGAL_REQUEST.code(), dataIn(sense)[2]);
        assertEquals(AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED, additionalSense(dataIn(sense)));

        assertCheckCondition(driver.in(ALICE, 7, 0, TEST_UNIT_READY), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED);
        assertCheckCondition(driver.in(ALICE, 7, 512, read10(0, 1)), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED);
        assertCheckCondition(driver.in(ALICE, 7, 0, 0xFF, 0, 0, 0, 0, 0), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED);
    }

    @Test
    void aLunFieldInAnUnsupportedAddressingMethodHasNoUnit() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        long extendedAddressing = 0xC000_0000_0000_0000L;
        ScsiResult result = driver.target().execute(new ScsiCommand(ALICE, extendedAddressing, new byte[16], 1,
                TaskAttribute.SIMPLE, 0, false, false, null));
        assertCheckCondition(result, SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED);
        assertFalse(driver.target().hasLogicalUnit(extendedAddressing));
        assertTrue(driver.target().hasLogicalUnit(0));
    }

    @Test
    void aTargetWithoutLunZeroStillReportsItsLuns() {
        ScsiTarget target = ScsiTarget.builder().logicalUnit(300, unit).build();
        TargetDriver driver = new TargetDriver(target);

        ScsiResult luns = driver.in(ALICE, 0, 16, REPORT_LUNS);
        assertGood(luns);
        assertArrayEquals(new byte[] {0, 0, 0, 8, 0, 0, 0, 0, 0x41, 0x2C, 0, 0, 0, 0, 0, 0}, dataIn(luns),
                "LUN 300 in flat space addressing");
        assertEquals(0x7F, dataIn(driver.in(ALICE, 0, 96, STANDARD_INQUIRY))[0] & 0xFF);

        ScsiResult flat = target.execute(new ScsiCommand(ALICE, 0x412C_0000_0000_0000L, new byte[] {0x12, 0, 0, 0, 96,
                0}, 1, TaskAttribute.SIMPLE, 96, true, false, null));
        assertGood(flat);
        assertEquals(0x00, dataIn(flat)[0], "the disk answers at LUN 300");
        assertEquals(0x412C_0000_0000_0000L, LunAddress.encode(300));
    }

    @Test
    void unknownOpcodeIsRefusedWithAFieldPointerAtTheOpcode() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        byte[] sense = assertCheckCondition(driver.in(ALICE, 0, 0, 0xC7, 0, 0, 0, 0, 0), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_COMMAND_OPERATION_CODE);
        assertFieldPointer(sense, true, 0, -1);
    }

    @Test
    void unknownServiceActionPointsAtTheServiceActionField() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        byte[] sense = assertCheckCondition(driver.in(ALICE, 0, 32, FakeLogicalUnit.SERVICE_ACTION_IN, 0x11, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0), SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB);
        assertFieldPointer(sense, true, 1, 4);
        assertGood(driver.in(ALICE, 0, 32, FakeLogicalUnit.SERVICE_ACTION_IN, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                32, 0, 0));
    }

    @Test
    void nacaInTheControlByteIsRefused() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        byte[] sense = assertCheckCondition(driver.in(ALICE, 0, 512, FakeLogicalUnit.READ, 0, 0, 0, 0, 0, 0, 0, 1,
                0x04), SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB);
        assertFieldPointer(sense, true, 9, 2);
        sense = assertCheckCondition(driver.in(ALICE, 0, 96, 0x12, 0, 0, 0, 96, 0x04), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB);
        assertFieldPointer(sense, true, 5, 2);
    }

    @Test
    void anUnknownOpcodeIsReportedBeforeAPendingUnitAttention() {
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, unit).build();
        target.nexusAdded(ALICE);
        TargetDriver driver = new TargetDriver(target);
        assertCheckCondition(driver.in(ALICE, 0, 0, 0xC7, 0, 0, 0, 0, 0), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_COMMAND_OPERATION_CODE);
        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
    }

    @Test
    void anAcaTaskIsRefusedBecauseAcaIsNeverEstablished() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        ScsiResult result = driver.target().execute(new ScsiCommand(ALICE, 0, new byte[16], 1, TaskAttribute.ACA, 0,
                false, false, null));
        assertCheckCondition(result, SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_MESSAGE_ERROR);
    }

    @Test
    void aBugInAHandlerBecomesHardwareErrorAndNeverEscapes() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        assertCheckCondition(driver.in(ALICE, 0, 0, FakeLogicalUnit.BROKEN, 0, 0, 0, 0, 0), SenseKey.HARDWARE_ERROR,
                AdditionalSense.INTERNAL_TARGET_FAILURE);
    }

    @Test
    void aDeviceNotReadyAnswersTestUnitReadyWithItsSense() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        unit.ready(false);
        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.NOT_READY,
                AdditionalSense.MEDIUM_NOT_PRESENT);
    }

    @Test
    void reserve6HeldByAnotherNexusConflicts() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        assertGood(driver.in(ALICE, 0, 0, 0x16, 0, 0, 0, 0, 0));

        ScsiResult conflict = driver.in(BOB, 0, 512, read10(0, 1));
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, conflict.status());
        assertNull(conflict.senseData());
        assertNull(conflict.dataIn());
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, driver.in(BOB, 0, 0, 0x16, 0, 0, 0, 0, 0).status());
        assertGood(driver.in(BOB, 0, 96, STANDARD_INQUIRY));
        assertGood(driver.in(ALICE, 0, 512, read10(0, 1)));

        assertGood(driver.in(ALICE, 0, 0, 0x17, 0, 0, 0, 0, 0));
        assertGood(driver.in(BOB, 0, 512, read10(0, 1)));
    }

    @Test
    void reserve6RefusesTheObsoleteExtentBit() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        byte[] sense = assertCheckCondition(driver.in(ALICE, 0, 0, 0x16, 0x01, 0, 0, 0, 0), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB);
        assertFieldPointer(sense, true, 1, 0);
    }

    @Test
    void readDataIsCutToTheExpectedLengthWithOverflowOrUnderflow() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);

        ScsiResult none = driver.in(ALICE, 0, 0, read10(0, 1));
        assertGood(none);
        assertEquals(0, dataIn(none).length);
        assertEquals(new Residual(false, true, 512), none.residual());

        ScsiResult more = driver.in(ALICE, 0, 10000, read10(0, 1));
        assertGood(more);
        assertEquals(512, dataIn(more).length);
        assertEquals(new Residual(true, false, 10000 - 512), more.residual());

        ScsiResult less = driver.in(ALICE, 0, 200, read10(0, 1));
        assertGood(less);
        assertEquals(200, dataIn(less).length);
        assertEquals(new Residual(false, true, 512 - 200), less.residual());

        ScsiResult exact = driver.in(ALICE, 0, 1024, read10(0, 2));
        assertEquals(Residual.NONE, exact.residual());
    }

    @Test
    void writeWithMoreExpectedThanTheCdbWantsWritesTheCdbLengthAndReportsUnderflow() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        ScsiResult result = driver.out(ALICE, 0, filled(1024, 'b'), write10(0, 1));
        assertGood(result);
        assertEquals(new Residual(true, false, 512), result.residual());
        assertArrayEquals(filled(512, 'b'), unit.blocks(0, 1));
        assertArrayEquals(new byte[512], unit.blocks(1, 1), "nothing beyond the CDB's transfer length");
    }

    @Test
    void writeWithLessExpectedThanTheCdbWantsReportsOverflowAndWritesNothing() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        ScsiResult result = driver.out(ALICE, 0, filled(512, 'b'), write10(0, 2));
        assertCheckCondition(result, SenseKey.ILLEGAL_REQUEST, FakeLogicalUnit.INVALID_FIELD_IN_INFORMATION_UNIT);
        assertEquals(new Residual(false, true, 512), result.residual());
        assertArrayEquals(new byte[1024], unit.blocks(0, 2));

        ScsiResult nothingSent = driver.out(ALICE, 0, new byte[0], write10(0, 1));
        assertEquals(new Residual(false, true, 512), nothingSent.residual());
        assertEquals(ScsiStatus.CHECK_CONDITION, nothingSent.status());
    }

    @Test
    void aFailedReadMovesNoDataAndReportsTheWholeExpectedLengthAsUnderflow() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        ScsiResult result = driver.in(ALICE, 0, 512, read10(FakeLogicalUnit.BLOCKS, 1));
        byte[] sense = assertCheckCondition(result, SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        assertEquals(0x80, sense[0] & 0x80, "INFORMATION valid");
        assertEquals(FakeLogicalUnit.BLOCKS, ByteBuffer.wrap(sense, 3, 4).getInt());
        assertEquals(new Residual(true, false, 512), result.residual());
    }

    @Test
    void logicalUnitResetTellsEveryNexusAndDropsReserve6() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        assertGood(driver.in(ALICE, 0, 0, 0x16, 0, 0, 0, 0, 0));

        driver.target().logicalUnitReset(BOB, LunAddress.encode(0));

        assertEquals(1, unit.resets());
        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
        assertCheckCondition(driver.in(BOB, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
        assertGood(driver.in(BOB, 0, 0, TEST_UNIT_READY));
        assertGood(driver.in(BOB, 0, 512, read10(0, 1)));
    }

    @Test
    void coldTargetResetLooksLikePowerOn() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        driver.target().targetReset(ALICE, true);
        assertCheckCondition(driver.in(BOB, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_OCCURRED);
        driver.target().targetReset(ALICE, false);
        assertCheckCondition(driver.in(BOB, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
    }

    @Test
    void aLostNexusReleasesReserve6AndLearnsOfTheLossWhenItReturns() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        assertGood(driver.in(ALICE, 0, 0, 0x16, 0, 0, 0, 0, 0));
        driver.target().nexusRemoved(ALICE);
        assertGood(driver.in(BOB, 0, 512, read10(0, 1)));

        driver.target().nexusAdded(ALICE);
        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.I_T_NEXUS_LOSS_OCCURRED);
        assertGood(driver.in(ALICE, 0, 0, TEST_UNIT_READY));
    }

    @Test
    void clearTaskSetTellsTheOtherNexuses() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        driver.target().taskSetCleared(ALICE, LunAddress.encode(0));
        assertGood(driver.in(ALICE, 0, 0, TEST_UNIT_READY));
        assertCheckCondition(driver.in(BOB, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR);
    }

    @Test
    void aNewLogicalUnitChangesTheReportedLunsUntilReportLunsIsRead() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        FakeLogicalUnit second = new FakeLogicalUnit();
        driver.target().addLogicalUnit(1, second);
        assertTrue(driver.target().mayBlock(LunAddress.encode(1)));
        assertThrows(IllegalArgumentException.class, () -> driver.target().addLogicalUnit(2, second));

        ScsiResult luns = driver.in(ALICE, 0, 256, REPORT_LUNS);
        assertEquals(4 + 4 + 16, dataIn(luns).length);
        assertGood(driver.in(ALICE, 0, 0, TEST_UNIT_READY));
        assertCheckCondition(driver.in(BOB, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
        assertCheckCondition(driver.in(BOB, 1, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);

        driver.target().removeLogicalUnit(1);
        assertFalse(driver.target().hasLogicalUnit(LunAddress.encode(1)));
        assertCheckCondition(driver.in(ALICE, 0, 0, TEST_UNIT_READY), SenseKey.UNIT_ATTENTION,
                AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
    }
}
