package org.storagegateway.scsi.copy;

import java.nio.ByteBuffer;
import java.util.List;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.CheckCondition.FieldPointer;
import org.storagegateway.scsi.CheckCondition.ForwardedSense;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.copy.CopyParameters.BlockSegment;
import org.storagegateway.scsi.copy.CopyParameters.Cscd;

/**
 * Carries out block device to block device segments (SPC-3 §6.3.7.5) through one bounded buffer. Every failure is
 * COPY ABORTED (SPC-3 §6.3.3): the copy manager's own findings with a segment pointer into the parameter list, a copy
 * target's answers forwarded inside NO ADDITIONAL SENSE INFORMATION; the caller adds the segment number.
 */
final class SegmentCopier {
    private static final int FROM_SOURCE = 1;
    private static final int FROM_DESTINATION = 2;

    private final CopyTargets targets;
    private final List<Cscd> cscds;
    private final ByteBuffer buffer;

    /** @param bufferBytes the buffer's size: at least one block of every unit involved, a multiple of 4096 */
    SegmentCopier(CopyTargets targets, List<Cscd> cscds, int bufferBytes) {
        this.targets = targets;
        this.cscds = cscds;
        this.buffer = ByteBuffer.allocate(bufferBytes);
    }

    /** Copies one segment, reporting each chunk's bytes to {@code record} as it lands. */
    void copy(BlockSegment segment, CopyRecord record) {
        CopyTarget source = resolve(segment.source(), segment.offset() + 4);
        CopyTarget destination = resolve(segment.destination(), segment.offset() + 6);
        long bytes = (long) segment.blocks()
                * (segment.destinationCount() ? destination.blockSize() : source.blockSize());
        if (bytes % source.blockSize() != 0 || bytes % destination.blockSize() != 0) {
            // An inexact segment would need PAD or CAT handling that whole-block copies never need.
            throw aborted(AdditionalSense.UNEXPECTED_INEXACT_SEGMENT, segment.offset() + 10);
        }
        long sourceByte = checkRange(source, segment.sourceLba(), bytes, FROM_SOURCE);
        long destinationByte = checkRange(destination, segment.destinationLba(), bytes, FROM_DESTINATION);
        try {
            destination.checkWritable();
        } catch (CheckCondition refused) {
            throw forwarded(FROM_DESTINATION, refused);
        }
        // Overlapping ranges of one unit copy as if read whole first: backwards when the destination lies above.
        boolean backwards = source == destination && destinationByte > sourceByte
                && destinationByte < sourceByte + bytes;
        long done = 0;
        while (done < bytes) {
            int chunk = (int) Math.min(buffer.capacity(), bytes - done);
            long at = backwards ? bytes - done - chunk : done;
            buffer.clear().limit(chunk);
            try {
                source.read((sourceByte + at) / source.blockSize(), buffer);
            } catch (CheckCondition failure) {
                throw forwarded(FROM_SOURCE, failure);
            }
            buffer.flip();
            try {
                destination.write((destinationByte + at) / destination.blockSize(), buffer);
            } catch (CheckCondition failure) {
                throw forwarded(FROM_DESTINATION, failure);
            }
            done += chunk;
            record.transferred(chunk);
        }
    }

    /**
     * The unit a CSCD index names: UNREACHABLE COPY TARGET when the index is past the list or no served unit has
     * that designator (SPC-3 §6.3.6.1), INCORRECT COPY TARGET DEVICE TYPE or a mismatched DISK BLOCK LENGTH when the
     * unit is not what the descriptor expects.
     */
    private CopyTarget resolve(int index, int indexField) {
        if (index >= cscds.size()) {
            throw aborted(AdditionalSense.UNREACHABLE_COPY_TARGET, indexField);
        }
        Cscd cscd = cscds.get(index);
        CopyTarget target = cscd.naa() == null ? null : targets.resolve(cscd.naa());
        if (target == null) {
            throw aborted(AdditionalSense.UNREACHABLE_COPY_TARGET, cscd.offset() + 4);
        }
        if (cscd.deviceType() != target.peripheralDeviceType()) {
            throw aborted(AdditionalSense.INCORRECT_COPY_TARGET_DEVICE_TYPE, cscd.offset() + 1);
        }
        if (cscd.diskBlockLength() != target.blockSize()) {
            throw aborted(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                    cscd.offset() + Cscd.DISK_BLOCK_LENGTH_OFFSET);
        }
        return target;
    }

    /** The byte offset of {@code lba}, or the target's LOGICAL BLOCK ADDRESS OUT OF RANGE forwarded. */
    private static long checkRange(CopyTarget target, long lba, long bytes, int side) {
        long blocks = bytes / target.blockSize();
        long capacity = target.blockCount();
        if (lba < 0 || lba > capacity || blocks > capacity - lba) { // lba < 0: 2^63 and above
            throw forwarded(side, CheckCondition.lbaOutOfRange().withInformation(lba));
        }
        return lba * target.blockSize();
    }

    private static CheckCondition aborted(AdditionalSense sense, int listByte) {
        return CheckCondition.of(SenseKey.COPY_ABORTED, sense, new FieldPointer(false, listByte, -1));
    }

    private static CheckCondition forwarded(int side, CheckCondition failure) {
        return CheckCondition.of(SenseKey.COPY_ABORTED, AdditionalSense.NO_ADDITIONAL_SENSE)
                .withForwardedSense(new ForwardedSense(side, failure));
    }
}
