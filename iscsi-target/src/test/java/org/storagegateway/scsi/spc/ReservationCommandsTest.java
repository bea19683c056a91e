package org.storagegateway.scsi.spc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.TargetDriver.ALICE;
import static org.storagegateway.scsi.TargetDriver.BOB;
import static org.storagegateway.scsi.TargetDriver.assertCheckCondition;
import static org.storagegateway.scsi.TargetDriver.assertFieldPointer;
import static org.storagegateway.scsi.TargetDriver.assertGood;
import static org.storagegateway.scsi.TargetDriver.dataIn;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.FakeLogicalUnit;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.TargetDriver;

/** The reservation commands' CDB parsing, end to end through the reservation state. */
class ReservationCommandsTest {
    private static final int WRITE_EXCLUSIVE = 0x1;

    private final FakeLogicalUnit unit = new FakeLogicalUnit();
    private final TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);

    private ScsiResult reserveOut(ItNexus who, int serviceAction, int type, long key, long serviceKey) {
        return reserveOut(driver, who, serviceAction, type, key, serviceKey);
    }

    private static ScsiResult reserveOut(TargetDriver driver, ItNexus who, int serviceAction, int type, long key,
                                         long serviceKey) {
        byte[] parameters = ByteBuffer.allocate(24).putLong(key).putLong(serviceKey).array();
        return driver.out(who, 0, parameters, 0x5F, serviceAction, type, 0, 0, 0, 0, 0, 24, 0);
    }

    private ScsiResult reserveIn(int serviceAction, int allocationLength) {
        return driver.in(ALICE, 0, allocationLength, 0x5E, serviceAction, 0, 0, 0, 0, 0, allocationLength >> 8,
                allocationLength & 0xFF, 0);
    }

    @Test
    void registerThenReadKeys() {
        assertGood(reserveOut(ALICE, 0x00, 0, 0, 0xABCDL));
        ScsiResult keys = reserveIn(0x00, 256);
        assertGood(keys);
        ByteBuffer data = ByteBuffer.wrap(dataIn(keys));
        assertEquals(16, data.remaining());
        data.getInt();
        assertEquals(8, data.getInt());
        assertEquals(0xABCDL, data.getLong());
        assertEquals(4, dataIn(reserveIn(0x00, 4)).length, "cut to the allocation length");
    }

    @Test
    void writeExclusiveLetsOthersReadButNotWrite() {
        assertGood(reserveOut(ALICE, 0x00, 0, 0, 0x11L));
        assertGood(reserveOut(ALICE, 0x01, WRITE_EXCLUSIVE, 0x11L, 0));
        assertGood(driver.in(BOB, 0, 512, FakeLogicalUnit.READ, 0, 0, 0, 0, 0, 0, 0, 1, 0));
        ScsiResult write = driver.out(BOB, 0, new byte[512], FakeLogicalUnit.WRITE, 0, 0, 0, 0, 0, 0, 0, 1, 0);
        assertEquals(ScsiStatus.RESERVATION_CONFLICT, write.status());
        assertGood(driver.out(ALICE, 0, new byte[512], FakeLogicalUnit.WRITE, 0, 0, 0, 0, 0, 0, 0, 1, 0));
    }

    @Test
    void preemptAndAbortAbortsThePreemptedNexussTasksThroughTheTransport() {
        List<String> aborted = new ArrayList<>();
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, unit)
                .taskAborter((lun, preemptor, nexuses) -> aborted.add(lun + " " + preemptor.initiatorName() + " "
                        + nexuses.stream().map(ItNexus::initiatorName).sorted().toList()))
                .build();
        TargetDriver driver = new TargetDriver(target);
        target.nexusAdded(ALICE);
        target.nexusAdded(BOB);
        driver.clearUnitAttentions(ALICE, 0);
        driver.clearUnitAttentions(BOB, 0);
        assertGood(reserveOut(driver, ALICE, 0x00, 0, 0, 0xAL));
        assertGood(reserveOut(driver, ALICE, 0x01, WRITE_EXCLUSIVE, 0xAL, 0));
        assertGood(reserveOut(driver, BOB, 0x00, 0, 0, 0xBL));

        assertGood(reserveOut(driver, BOB, 0x05, WRITE_EXCLUSIVE, 0xBL, 0xAL));

        assertEquals(List.of("0 " + BOB.initiatorName() + " [" + ALICE.initiatorName() + "]"), aborted);
        Set<AdditionalSense> reported = new HashSet<>();
        for (ScsiResult result = driver.in(ALICE, 0, 0, 0, 0, 0, 0, 0, 0); result.status() != ScsiStatus.GOOD;
                result = driver.in(ALICE, 0, 0, 0, 0, 0, 0, 0, 0)) {
            reported.add(TargetDriver.additionalSense(TargetDriver.sense(result)));
        }
        assertTrue(reported.contains(AdditionalSense.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR), reported::toString);
        assertGood(driver.in(BOB, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void unknownServiceActionIsInvalidFieldAtTheServiceAction() {
        assertFieldPointer(assertCheckCondition(reserveIn(0x05, 256), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB), true, 1, 4);
        assertFieldPointer(assertCheckCondition(reserveOut(ALICE, 0x08, 0, 0, 0),
                SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB), true, 1, 4);
    }

    @Test
    void thirdPartyReserve10IsRefused() {
        assertFieldPointer(assertCheckCondition(driver.in(ALICE, 0, 0, 0x56, 0x10, 0, 0, 0, 0, 0, 0, 0, 0),
                SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB), true, 1, 4);
        assertGood(driver.in(ALICE, 0, 0, 0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(ScsiStatus.RESERVATION_CONFLICT,
                driver.in(BOB, 0, 0, 0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0).status());
        assertGood(driver.in(ALICE, 0, 0, 0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertGood(driver.in(BOB, 0, 0, 0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }
}
