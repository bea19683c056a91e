package org.storagegateway.scsi.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.copy.CopyFixture.BLOCK;
import static org.storagegateway.scsi.copy.CopyFixture.assertBlocks;
import static org.storagegateway.scsi.copy.CopyFixture.assertListPointer;
import static org.storagegateway.scsi.copy.CopyFixture.assertSense;
import static org.storagegateway.scsi.copy.CopyFixture.copy;
import static org.storagegateway.scsi.copy.CopyFixture.copyFails;
import static org.storagegateway.scsi.copy.CopyFixture.list;
import static org.storagegateway.scsi.copy.CopyFixture.naa;
import static org.storagegateway.scsi.copy.CopyFixture.writePattern;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.sbc.BlockGeometry;
import org.storagegateway.scsi.sbc.DiskUnit;
import org.storagegateway.scsi.sense.SenseData;
import org.storagegateway.scsi.sense.SenseFormat;

/** EXTENDED COPY moving data: within one disk, across disks, over overlapping ranges, and failing part way. */
class ExtendedCopyTest {
    private final CopyFixture fixture = new CopyFixture();
    private final DiskUnit first = fixture.disk(1, 16384, false);
    private final DiskUnit second = fixture.disk(2, 8192, false);

    @Test
    void copiesWithinOneDisk() {
        byte[] data = writePattern(first, 10, 100, 1);
        copy(first, list().cscd(naa(1), BLOCK).segment(0, 0, 100, 10, 5000).build());
        assertBlocks(data, first, 5000);
        assertBlocks(data, first, 10);
    }

    @Test
    void copiesAcrossDisksWhicheverOfThemReceivesTheCommand() {
        byte[] data = writePattern(first, 0, 3000, 2); // more than one 1 MiB chunk
        byte[] push = list().cscd(naa(1), BLOCK).cscd(naa(2), BLOCK).segment(0, 1, 3000, 0, 100).build();
        copy(first, push);
        assertBlocks(data, second, 100);

        byte[] back = writePattern(second, 4000, 64, 3);
        byte[] pull = list().cscd(naa(2), BLOCK).cscd(naa(1), BLOCK).segment(0, 1, 64, 4000, 9000).build();
        copy(first, pull);
        assertBlocks(back, first, 9000);
    }

    @Test
    void runsEverySegmentInOrder() {
        byte[] a = writePattern(first, 0, 8, 4);
        byte[] b = writePattern(second, 0, 8, 5);
        copy(second, list().cscd(naa(1), BLOCK).cscd(naa(2), BLOCK)
                .segment(0, 1, 8, 0, 100).segment(1, 0, 8, 0, 200).segment(1, 1, 8, 100, 300).build());
        assertBlocks(a, second, 100);
        assertBlocks(b, first, 200);
        assertBlocks(a, second, 300);
    }

    @Test
    void overlappingRangesCopyAsIfTheSourceWereReadFirst() {
        byte[] data = writePattern(first, 1000, 4000, 6);
        // Destination above the source, overlapping, over several chunks: copied from the end backwards.
        copy(first, list().cscd(naa(1), BLOCK).segment(0, 0, 4000, 1000, 2500).build());
        assertBlocks(data, first, 2500);

        byte[] moved = writePattern(first, 8000, 4000, 7);
        // Destination below the source, overlapping: copied from the start forwards.
        copy(first, list().cscd(naa(1), BLOCK).segment(0, 0, 4000, 8000, 6100).build());
        assertBlocks(moved, first, 6100);
    }

    @Test
    void destinationCountMeasuresTheSegmentInDestinationBlocks() {
        DiskUnit large = new DiskUnit(new org.storagegateway.scsi.block.MemoryBlockDevice(1 << 20), BlockGeometry.of(4096), 1 << 20,
                CopyFixture.identification(3), "SGW", "Volume", "0001", false, fixture.targets);
        byte[] data = writePattern(first, 0, 16, 8);
        copy(first, list().cscd(naa(1), BLOCK).cscd(naa(3), 4096)
                .segment(0x02, 0x18, 0x02, 0, 1, 2, 0, 5).build()); // DC: 2 blocks of 4096 bytes
        byte[] copied = CopyFixture.read(large, 5, 2);
        assertArrayEquals(data, Arrays.copyOf(copied, data.length));
    }

    @Test
    void aFailingSegmentIsCopyAbortedWithItsNumberAndTheTargetsOwnSense() {
        byte[] data = writePattern(first, 0, 8, 9);
        CheckCondition failure = copyFails(first, list().cscd(naa(1), BLOCK).cscd(naa(2), BLOCK)
                .segment(0, 1, 8, 0, 0).segment(0, 1, 8, 0, 8190).build());
        assertSense(failure, SenseKey.COPY_ABORTED, AdditionalSense.NO_ADDITIONAL_SENSE);
        assertEquals(1L, failure.commandSpecificInformation(), "segment 1 failed");
        assertEquals(2, failure.forwarded().source(), "the destination refused");
        assertSense(failure.forwarded().sense(), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
        assertBlocks(data, second, 0); // segment 0 was done and stays done

        byte[] sense = SenseData.of(failure, SenseFormat.FIXED);
        assertEquals(0x0A, sense[2], "COPY ABORTED");
        assertEquals(36 - 8, sense[7], "additional length covers the forwarded sense");
        assertArrayEquals(new byte[] {0, 18, 0, 1}, Arrays.copyOfRange(sense, 8, 12),
                "destination sense at byte 18, segment 1");
        assertEquals(0x05, sense[18 + 2], "forwarded ILLEGAL REQUEST");
        assertEquals(0x21, sense[18 + 12], "forwarded LBA OUT OF RANGE");
    }

    @Test
    void aSourceBeyondItsCapacityIsForwardedFromTheSource() {
        CheckCondition failure = copyFails(first, list().cscd(naa(2), BLOCK).cscd(naa(1), BLOCK)
                .segment(0, 1, 16, 8190, 0).build());
        assertSense(failure, SenseKey.COPY_ABORTED, AdditionalSense.NO_ADDITIONAL_SENSE);
        assertEquals(1, failure.forwarded().source());
        assertEquals(0L, failure.commandSpecificInformation());
    }

    @Test
    void aReadOnlyDestinationIsForwardedAsWriteProtected() {
        DiskUnit readOnly = fixture.disk(4, 64, true);
        CheckCondition failure = copyFails(first, list().cscd(naa(1), BLOCK).cscd(naa(4), BLOCK)
                .segment(0, 1, 8, 0, 0).build());
        assertSense(failure.forwarded().sense(), SenseKey.DATA_PROTECT, AdditionalSense.WRITE_PROTECTED);
        assertEquals(2, failure.forwarded().source());
        assertEquals(64, readOnly.blockCount());
    }

    @Test
    void aWithdrawnUnitIsUnreachableAndItsDesignatorFreeForTheNextUnit() {
        byte[] push = list().cscd(naa(1), BLOCK).cscd(naa(2), BLOCK).segment(0, 1, 8, 0, 100).build();
        second.withdrawFromCopies();
        assertSense(copyFails(first, push), SenseKey.COPY_ABORTED, AdditionalSense.UNREACHABLE_COPY_TARGET);
        DiskUnit again = fixture.disk(2, 8192, false); // the same volume served again (AttachVolume)
        byte[] data = writePattern(first, 0, 8, 7);
        copy(first, push);
        assertBlocks(data, again, 100);
    }

    @Test
    void unreachableTargetsAreCopyAbortedPointingAtTheirName() {
        CheckCondition unknown = copyFails(first, list().cscd(naa(9), BLOCK).segment(0, 0, 8, 0, 100).build());
        assertSense(unknown, SenseKey.COPY_ABORTED, AdditionalSense.UNREACHABLE_COPY_TARGET);
        assertListPointer(unknown, 16 + 4);

        CheckCondition pastTheList = copyFails(first, list().cscd(naa(1), BLOCK).segment(0, 1, 8, 0, 100).build());
        assertSense(pastTheList, SenseKey.COPY_ABORTED, AdditionalSense.UNREACHABLE_COPY_TARGET);
        assertListPointer(pastTheList, 16 + 32 + 6);
        assertEquals(0L, pastTheList.commandSpecificInformation());
    }

    @Test
    void aDescriptorThatMisdescribesItsUnitIsCopyAborted() {
        CheckCondition blockLength = copyFails(first, list().cscd(naa(1), 4096).segment(0, 0, 8, 0, 100).build());
        assertSense(blockLength, SenseKey.COPY_ABORTED, AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST);
        assertListPointer(blockLength, 16 + 29);

        CheckCondition deviceType = copyFails(first, list().cscd(0xE4, naa(1), 0x01, BLOCK)
                .segment(0, 0, 8, 0, 100).build());
        assertSense(deviceType, SenseKey.COPY_ABORTED, AdditionalSense.INCORRECT_COPY_TARGET_DEVICE_TYPE);
    }

    @Test
    void anInexactSegmentIsRefused() {
        DiskUnit large = new DiskUnit(new org.storagegateway.scsi.block.MemoryBlockDevice(1 << 20), BlockGeometry.of(4096), 1 << 20,
                CopyFixture.identification(5), "SGW", "Volume", "0001", false, fixture.targets);
        CheckCondition failure = copyFails(first, list().cscd(naa(1), BLOCK).cscd(naa(5), large.blockSize())
                .segment(0, 1, 3, 0, 0).build()); // 1536 bytes are not whole 4096-byte blocks
        assertSense(failure, SenseKey.COPY_ABORTED, AdditionalSense.UNEXPECTED_INEXACT_SEGMENT);
        assertListPointer(failure, 16 + 64 + 10);
    }

    @Test
    void anEmptyParameterListDoesNothing() {
        copy(first, new byte[0]);
    }
}
