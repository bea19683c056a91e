package org.storagegateway.scsi.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.storagegateway.scsi.copy.CopyFixture.BLOCK;
import static org.storagegateway.scsi.copy.CopyFixture.NEXUS;
import static org.storagegateway.scsi.copy.CopyFixture.OTHER;
import static org.storagegateway.scsi.copy.CopyFixture.copy;
import static org.storagegateway.scsi.copy.CopyFixture.copyFails;
import static org.storagegateway.scsi.copy.CopyFixture.list;
import static org.storagegateway.scsi.copy.CopyFixture.naa;
import static org.storagegateway.scsi.copy.CopyFixture.receive;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.TargetDriver;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.sbc.DiskUnit;

/** RECEIVE COPY RESULTS: operating parameters, and the status and failure details held per nexus and list. */
class ReceiveCopyResultsTest {
    private static final int COPY_STATUS = 0x00;
    private static final int OPERATING_PARAMETERS = 0x03;
    private static final int FAILED_SEGMENT_DETAILS = 0x04;

    private final CopyFixture fixture = new CopyFixture();
    private final DiskUnit disk = fixture.disk(1, 4096, false);

    private static void assertUnknownList(DiskUnit unit, int serviceAction, int listId) {
        CheckCondition failure = assertThrows(CheckCondition.class,
                () -> receive(unit, NEXUS, serviceAction, listId));
        assertEquals(new CheckCondition.FieldPointer(true, 2, -1), failure.fieldPointer());
    }

    @Test
    void operatingParametersReportTheLimitsTheParserEnforces() {
        ByteBuffer data = ByteBuffer.wrap(receive(disk, NEXUS, OPERATING_PARAMETERS, 0));
        assertEquals(46 - 4, data.getInt(0), "AVAILABLE DATA");
        assertEquals(1, data.get(4), "SNLID");
        assertEquals(CopyLimits.MAX_CSCD_DESCRIPTORS, data.getShort(8));
        assertEquals(CopyLimits.MAX_SEGMENT_DESCRIPTORS, data.getShort(10));
        assertEquals(16 * 32 + 64 * 28, data.getInt(12));
        assertEquals(0xFFFF * BLOCK, data.getInt(16), "MAXIMUM SEGMENT LENGTH");
        assertEquals(0, data.getInt(20), "no inline data");
        assertEquals(0, data.getInt(24), "nothing held for RECEIVE DATA");
        assertEquals(9, data.get(37), "DATA SEGMENT GRANULARITY: one 512-byte block");
        assertArrayEquals(new byte[] {2, 0x02, (byte) 0xE4}, Arrays.copyOfRange(data.array(), 43, 46));
    }

    @Test
    void copyStatusOfAFinishedCopyIsReportedOnceToItsOwnNexus() {
        assertUnknownList(disk, COPY_STATUS, 7);
        copy(disk, list().listId(7, 0b00).cscd(naa(1), BLOCK).segment(0, 0, 8, 0, 100)
                .segment(0, 0, 8, 8, 200).build());
        assertThrows(CheckCondition.class, () -> receive(disk, OTHER, COPY_STATUS, 7));
        byte[] status = receive(disk, NEXUS, COPY_STATUS, 7);
        assertArrayEquals(new byte[] {0, 0, 0, 8, 0x01, 0, 2, 0, 0, 0, 0x20, 0}, status,
                "completed, 2 segments, 8192 bytes");
        assertUnknownList(disk, COPY_STATUS, 7);
    }

    @Test
    void aFailedCopyReportsItsSenseAsFailedSegmentDetails() {
        copyFails(disk, list().listId(3, 0b10).cscd(naa(1), BLOCK).segment(0, 0, 8, 0, 100)
                .segment(0, 0, 8, 0, 4095).build());
        byte[] status = receive(disk, NEXUS, COPY_STATUS, 3);
        assertEquals(0x02, status[4], "completed with errors");
        assertEquals(1, status[6], "one segment processed");

        byte[] details = receive(disk, NEXUS, FAILED_SEGMENT_DETAILS, 3);
        assertEquals(0x02, details[56], "CHECK CONDITION");
        int senseLength = ByteBuffer.wrap(details).getShort(58);
        assertEquals(36, senseLength, "fixed sense with the destination's own after it");
        assertEquals(0x0A, details[60 + 2], "COPY ABORTED");
        assertEquals(details.length - 4, ByteBuffer.wrap(details).getInt(0));
        assertUnknownList(disk, FAILED_SEGMENT_DETAILS, 3);
    }

    @Test
    void aSucceededCopyHasNoFailedSegmentDetails() {
        copy(disk, list().listId(4, 0b00).cscd(naa(1), BLOCK).segment(0, 0, 8, 0, 100).build());
        assertArrayEquals(new byte[4], receive(disk, NEXUS, FAILED_SEGMENT_DETAILS, 4));
    }

    @Test
    void nexusLossAndResetDiscardWhatWasHeld() {
        byte[] copyList = list().listId(5, 0b00).cscd(naa(1), BLOCK).segment(0, 0, 8, 0, 100).build();
        copy(disk, copyList);
        disk.nexusLost(OTHER);
        disk.nexusLost(NEXUS);
        assertUnknownList(disk, COPY_STATUS, 5);

        copy(disk, copyList);
        disk.reset();
        assertUnknownList(disk, COPY_STATUS, 5);
    }

    @Test
    void withoutAListIdentifierNothingIsHeld() {
        copy(disk, list().listId(6, 0b11).cscd(naa(1), BLOCK).segment(0, 0, 8, 0, 100).build());
        assertUnknownList(disk, COPY_STATUS, 6);
    }

    @Test
    void theTargetReportsACopyManagerAndItsCommands() {
        TargetDriver driver = new TargetDriver(ScsiTarget.builder().logicalUnit(0, disk).build());
        driver.clearUnitAttentions(TargetDriver.ALICE, 0);
        byte[] inquiry = TargetDriver.dataIn(driver.in(TargetDriver.ALICE, 0, 96, 0x12, 0, 0, 0, 96, 0));
        assertEquals(0x08, inquiry[5], "3PC");
        byte[] usage = TargetDriver.dataIn(driver.in(TargetDriver.ALICE, 0, 64, 0xA3, 0x0C, 0x02, 0x83, 0, 0,
                0, 0, 0, 64, 0, 0));
        assertEquals(0x03, usage[1] & 0x07, "EXTENDED COPY(LID1) supported as the standard says");
        assertArrayEquals(new byte[] {(byte) 0x83, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, 0, 0x07}, Arrays.copyOfRange(usage, 4, 20));
    }
}
