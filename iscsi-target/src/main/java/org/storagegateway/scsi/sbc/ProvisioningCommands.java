package org.storagegateway.scsi.sbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.block.BlockDevice;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.ScsiTask;

/** The thin-provisioning commands: WRITE SAME, UNMAP and GET LBA STATUS (SBC-3 §4.7, §5.28, §5.43–5.45, §5.7). */
final class ProvisioningCommands {
    private static final int UNMAP_BIT = 0x08;
    private static final int ANCHOR_BIT = 0x10;
    private static final int NDOB_BIT = 0x01;
    private static final int UNMAP_HEADER = 8;
    private static final int UNMAP_DESCRIPTOR = 16;
    private static final int LBA_STATUS_HEADER = 8;
    private static final int LBA_STATUS_DESCRIPTOR = 16;
    private static final int PROVISIONING_MAPPED = 0;
    private static final int PROVISIONING_DEALLOCATED = 1;

    private ProvisioningCommands() {
    }

    /**
     * WRITE SAME(10/16), SBC-3 §5.43, §5.45. With UNMAP the range is deallocated whatever the data-out holds (it then
     * reads as zeros, LBPRZ); with NDOB (16 only) there is no data-out and the block is zeros. NUMBER OF LOGICAL
     * BLOCKS 0 means "to the last LBA" (WSNZ is 0); either way at most MAXIMUM WRITE SAME LENGTH blocks. ANCHOR is
     * refused: there is no anchored state (ANC_SUP 0).
     */
    static void writeSame(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        BlockCdb form = BlockCdb.of(cdb);
        boolean sixteen = form == BlockCdb.SIXTEEN;
        Cdb.noProtection(cdb);
        Cdb.reserved(cdb, 1, sixteen ? 0x06 : 0x07);
        form.checkGroupByte(cdb);
        if ((cdb[1] & ANCHOR_BIT) != 0) {
            throw CheckCondition.invalidFieldInCdb(1, 4);
        }
        boolean unmap = (cdb[1] & UNMAP_BIT) != 0;
        boolean noDataOut = sixteen && (cdb[1] & NDOB_BIT) != 0;
        unit.checkWritable();
        long lba = form.lba(cdb);
        long requested = form.length(cdb);
        if (requested == 0) {
            unit.checkRange(lba, 0);
        }
        long blocks = requested == 0 ? unit.blockCount() - lba : requested;
        if (blocks > unit.limits().maxWriteSameLength()) {
            throw CheckCondition.invalidFieldInCdb(form.lengthByte(), -1);
        }
        unit.checkRange(lba, blocks);
        int blockSize = unit.blockSize();
        ByteBuffer pattern = noDataOut ? ByteBuffer.allocate(blockSize) : task.dataOut(blockSize);
        if (!noDataOut && task.dataOutSent() != blockSize) {
            // Exactly one logical block must come: a shorter or longer data-out is not a block to replicate.
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB);
        }
        if (blocks == 0) {
            return;
        }
        unit.exclusively(lba, blocks, () -> {
            if (unmap) {
                unit.deallocate(lba, blocks);
            } else {
                replicate(unit, lba, blocks, pattern);
            }
        });
    }

    /** Writes the pattern block over the range, a bounded buffer at a time. */
    static void replicate(DiskUnit unit, long lba, long blocks, ByteBuffer pattern) {
        int blockSize = unit.blockSize();
        int perChunk = (int) Math.min(blocks, Math.max(1, (1 << 20) / blockSize));
        ByteBuffer chunk = ByteBuffer.allocate(perChunk * blockSize);
        for (int i = 0; i < perChunk; i++) {
            chunk.put(pattern.duplicate());
        }
        for (long done = 0; done < blocks; done += perChunk) {
            int n = (int) Math.min(perChunk, blocks - done);
            unit.write(lba + done, chunk.duplicate().position(0).limit(n * blockSize), false);
        }
    }

    /**
     * UNMAP, SBC-3 §5.28. The whole parameter list is validated (lengths, descriptor count, total LBA count, every
     * range) before anything is deallocated, so a bad list changes nothing. A PARAMETER LIST LENGTH of 0 is no error.
     */
    static void unmap(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Cdb.reserved(cdb, 1, 0xFE);
        if ((cdb[1] & 0x01) != 0) {
            throw CheckCondition.invalidFieldInCdb(1, 0); // ANCHOR: no anchored state
        }
        for (int i = 2; i <= 5; i++) {
            Cdb.reserved(cdb, i, 0xFF);
        }
        Cdb.reserved(cdb, 6, 0xE0);
        unit.checkWritable();
        int listLength = Fields.u16(cdb, 7);
        if (listLength == 0) {
            return;
        }
        if (listLength < UNMAP_HEADER) {
            throw CheckCondition.parameterListLengthError();
        }
        ByteBuffer list = task.dataOut(listLength);
        if (list.remaining() < listLength) {
            throw CheckCondition.parameterListLengthError();
        }
        byte[] parameters = new byte[listLength];
        list.get(parameters);
        int dataLength = Fields.u16(parameters, 0);
        int descriptorLength = Fields.u16(parameters, 2);
        if (dataLength != 0 && dataLength < descriptorLength + 6) {
            throw CheckCondition.invalidFieldInParameterList(0, -1);
        }
        int available = Math.min(descriptorLength, listLength - UNMAP_HEADER);
        int count = available / UNMAP_DESCRIPTOR; // an incomplete last descriptor is ignored
        if (count > unit.limits().maxUnmapDescriptors()) {
            throw CheckCondition.invalidFieldInParameterList(2, -1);
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            int at = UNMAP_HEADER + i * UNMAP_DESCRIPTOR;
            long blocks = Fields.u32(parameters, at + 8);
            total += blocks;
            if (total > unit.limits().maxUnmapLbaCount()) {
                throw CheckCondition.invalidFieldInParameterList(at + 8, -1);
            }
            unit.checkRange(Fields.u64(parameters, at), blocks);
        }
        for (int i = 0; i < count; i++) {
            int at = UNMAP_HEADER + i * UNMAP_DESCRIPTOR;
            long lba = Fields.u64(parameters, at);
            long blocks = Fields.u32(parameters, at + 8);
            if (blocks > 0) {
                unit.exclusively(lba, blocks, () -> unit.deallocate(lba, blocks));
            }
        }
    }

    /**
     * GET LBA STATUS, SBC-3 §5.7: LBA status descriptors from STARTING LOGICAL BLOCK ADDRESS on, mapped or
     * deallocated, as many as the ALLOCATION LENGTH holds; the first always starts at the requested LBA (§5.7.2).
     * A physical block is mapped or deallocated as a whole: one that is partly mapped (a partial UNMAP zeroes the
     * blocks it names but cannot free their physical block) is reported mapped in full.
     */
    static void getLbaStatus(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reserved(cdb, 14, 0xFF);
        long lba = Fields.u64(cdb, 2);
        long allocationLength = Fields.u32(cdb, 10);
        long capacity = unit.blockCount();
        if (lba < 0 || lba >= capacity) {
            throw CheckCondition.lbaOutOfRange();
        }
        int blockSize = unit.blockSize();
        int room = (int) Math.max(1, Math.min(64, (allocationLength - LBA_STATUS_HEADER) / LBA_STATUS_DESCRIPTOR));
        BlockGeometry geometry = unit.geometry();
        long from = geometry.alignDown(lba);
        long maxBytes = Math.min(capacity - from, 0xFFFF_FFFFL) * blockSize;
        List<BlockDevice.Extent> extents;
        try {
            // Rounding to physical blocks may merge extents, so more are asked for than there is room for; where
            // that is still too few, the last descriptor is true but shorter than it could be (SBC-3 §5.7.3 only
            // says "should" of the largest).
            extents = unit.device().mapping(from * blockSize, maxBytes, 2 * room + 2);
        } catch (IOException | UncheckedIOException e) {
            throw CheckCondition.of(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR);
        }
        List<LbaExtent> statuses = toPhysicalBlocks(extents, geometry, blockSize, lba, capacity);
        if (statuses.size() > room) {
            statuses = statuses.subList(0, room);
        }
        byte[] data = new byte[LBA_STATUS_HEADER + statuses.size() * LBA_STATUS_DESCRIPTOR];
        Fields.put32(data, 0, data.length - 4);
        int at = LBA_STATUS_HEADER;
        for (LbaExtent status : statuses) {
            Fields.put64(data, at, status.first());
            Fields.put32(data, at + 8, Math.min(status.end() - status.first(), 0xFFFF_FFFFL));
            data[at + 12] = (byte) (status.mapped() ? PROVISIONING_MAPPED : PROVISIONING_DEALLOCATED);
            at += LBA_STATUS_DESCRIPTOR;
        }
        task.dataIn(data, (int) Math.min(allocationLength, Integer.MAX_VALUE));
    }

    /** A run of LBAs {@code [first, end)} with one provisioning status. */
    record LbaExtent(long first, long end, boolean mapped) {
    }

    /**
     * The device's byte extents as LBA runs in whole physical blocks, from {@code lba} on: a mapped run grows out to
     * the physical blocks it touches, a deallocated one shrinks to the physical blocks it covers (and may vanish,
     * merging its neighbours), the capacity counting as a physical block boundary. Runs alternate in status, so they
     * stay contiguous; the first, which the device starts at {@code lba}'s physical block, is cut to start at
     * {@code lba} itself.
     */
    static List<LbaExtent> toPhysicalBlocks(List<BlockDevice.Extent> extents, BlockGeometry geometry, int blockSize,
                                            long lba, long capacity) {
        List<LbaExtent> runs = new ArrayList<>();
        for (LbaExtent extent : inBlocks(extents, blockSize, capacity)) {
            long first = extent.mapped() ? geometry.alignDown(extent.first()) : geometry.alignUp(extent.first());
            long end = extent.end() == capacity ? capacity
                    : extent.mapped() ? geometry.alignUp(extent.end()) : geometry.alignDown(extent.end());
            first = Math.max(first, lba);
            end = Math.min(end, capacity);
            if (first >= end) {
                continue;
            }
            LbaExtent last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.mapped() == extent.mapped()) {
                runs.set(runs.size() - 1, new LbaExtent(last.first(), Math.max(last.end(), end), last.mapped()));
            } else {
                runs.add(new LbaExtent(first, end, extent.mapped()));
            }
        }
        return runs;
    }

    /** Byte extents as LBA runs (a partial block counting whole), neighbours of one status merged. */
    private static List<LbaExtent> inBlocks(List<BlockDevice.Extent> extents, int blockSize, long capacity) {
        List<LbaExtent> runs = new ArrayList<>();
        for (BlockDevice.Extent extent : extents) {
            long first = extent.offset() / blockSize;
            long end = Math.min(capacity, (extent.offset() + extent.length() + blockSize - 1) / blockSize);
            LbaExtent last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.mapped() == extent.mapped()) {
                runs.set(runs.size() - 1, new LbaExtent(last.first(), end, last.mapped()));
            } else {
                runs.add(new LbaExtent(last == null ? first : last.end(), end, extent.mapped()));
            }
        }
        return runs;
    }
}
