package org.storagegateway.scsi.spc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.TargetDriver.ALICE;
import static org.storagegateway.scsi.TargetDriver.additionalSense;
import static org.storagegateway.scsi.TargetDriver.assertCheckCondition;
import static org.storagegateway.scsi.TargetDriver.assertFieldPointer;
import static org.storagegateway.scsi.TargetDriver.assertGood;
import static org.storagegateway.scsi.TargetDriver.dataIn;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.FakeLogicalUnit;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.TargetDriver;

/** REQUEST SENSE, REPORT LUNS and TEST UNIT READY. */
class SenseAndLunCommandsTest {
    private final FakeLogicalUnit unit = new FakeLogicalUnit();

    @Test
    void requestSenseWithDescAnswersInDescriptorFormat() {
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, unit).build();
        target.nexusAdded(ALICE);
        TargetDriver driver = new TargetDriver(target);
        byte[] sense = dataIn(driver.in(ALICE, 0, 252, 0x03, 0x01, 0, 0, 252, 0));
        assertEquals(8, sense.length);
        assertEquals(0x72, sense[0]);
        assertEquals(SenseKey.UNIT_ATTENTION.code(), sense[1]);
        assertEquals(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED, additionalSense(sense));
        assertEquals(0, sense[7]);
    }

    @Test
    void requestSenseWithZeroAllocationLengthTransfersNothingButStillClears() {
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, unit).build();
        target.nexusAdded(ALICE);
        TargetDriver driver = new TargetDriver(target);
        ScsiResult result = driver.in(ALICE, 0, 0, 0x03, 0, 0, 0, 0, 0);
        assertGood(result);
        assertEquals(0, dataIn(result).length);
        assertGood(driver.in(ALICE, 0, 0, 0x00, 0, 0, 0, 0, 0));
    }

    @Test
    void reportLunsChecksSelectReportAndAllocationLength() {
        TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);
        assertFieldPointer(assertCheckCondition(driver.in(ALICE, 0, 16, 0xA0, 0, 0x03, 0, 0, 0, 0, 0, 0, 16, 0, 0),
                SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB), true, 2, -1);
        assertFieldPointer(assertCheckCondition(driver.in(ALICE, 0, 15, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 0, 0),
                SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB), true, 6, -1);
    }

    @Test
    void reportLunsListsEveryLunInOrderAndNoWellKnownOnes() {
        FakeLogicalUnit other = new FakeLogicalUnit();
        ScsiTarget target = ScsiTarget.builder().logicalUnit(256, other).logicalUnit(0, unit).build();
        TargetDriver driver = new TargetDriver(target);
        ScsiResult all = driver.in(ALICE, 0, 64, 0xA0, 0, 0x02, 0, 0, 0, 0, 0, 0, 64, 0, 0);
        assertGood(all);
        byte[] data = dataIn(all);
        assertEquals(24, data.length);
        assertEquals(16, data[3]);
        assertArrayEquals(new byte[8], Arrays.copyOfRange(data, 8, 16));
        assertArrayEquals(new byte[] {0x41, 0x00, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(data, 16, 24));
        assertEquals(new Residual(true, false, 64 - 24), all.residual());

        byte[] wellKnown = dataIn(driver.in(ALICE, 0, 64, 0xA0, 0, 0x01, 0, 0, 0, 0, 0, 0, 64, 0, 0));
        assertArrayEquals(new byte[8], wellKnown);
        assertEquals(16, dataIn(driver.in(ALICE, 0, 16, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0)).length);
    }
}
