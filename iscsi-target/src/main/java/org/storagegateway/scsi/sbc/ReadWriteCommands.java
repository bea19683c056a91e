package org.storagegateway.scsi.sbc;

import java.nio.ByteBuffer;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.ScsiTask;

/**
 * READ, WRITE, WRITE AND VERIFY, VERIFY, ORWRITE, COMPARE AND WRITE (SBC-3 §5) and WRITE ATOMIC (SBC-4 §5.48). Every
 * command that changes blocks holds their range lock, so COMPARE AND WRITE and ORWRITE see no write land between their
 * read and their write; READ and VERIFY read under the same locks' optimistic side, so they never see half a write.
 */
final class ReadWriteCommands {
    private static final int FUA = 0x08;

    private ReadWriteCommands() {
    }

    /** READ(6/10/12/16), SBC-3 §5.11–5.14. DPO is accepted; FUA is moot, reads always come from the medium. */
    static void read(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        BlockCdb form = BlockCdb.of(cdb);
        long blocks = checkTransfer(unit, cdb, form, 0x05);
        long lba = form.lba(cdb);
        unit.checkRange(lba, blocks);
        task.dataIn(unit.readIsolated(lba, blocks, task::allocateDataIn));
    }

    /**
     * WRITE(6/10/12/16), SBC-3 §5.29–5.32. Only the whole blocks the initiator actually sent are written; when it sent
     * less than the CDB asks, the dispatcher reports the shortfall as an overflow residual.
     */
    static void write(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        BlockCdb form = BlockCdb.of(cdb);
        long blocks = checkTransfer(unit, cdb, form, 0x05);
        unit.checkWritable();
        long lba = form.lba(cdb);
        unit.checkRange(lba, blocks);
        ByteBuffer data = wholeBlocks(unit, task.dataOut(Math.toIntExact(blocks * unit.blockSize())));
        boolean forceUnitAccess = form != BlockCdb.SIX && (cdb[1] & FUA) != 0;
        unit.exclusively(lba, blocks, () -> unit.write(lba, data, forceUnitAccess));
    }

    /**
     * WRITE AND VERIFY(10/12/16), SBC-3 §5.33–5.35: the write is forced to the medium, then with BYTCHK 1 read back
     * and compared, under the range lock, so a miscompare means the medium failed.
     */
    static void writeAndVerify(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        BlockCdb form = BlockCdb.of(cdb);
        long blocks = checkTransfer(unit, cdb, form, 0x09);
        int byteCheck = (cdb[1] >>> 1) & 0x03;
        if (byteCheck > 1) {
            throw CheckCondition.invalidFieldInCdb(1, 2);
        }
        unit.checkWritable();
        long lba = form.lba(cdb);
        unit.checkRange(lba, blocks);
        ByteBuffer data = wholeBlocks(unit, task.dataOut(Math.toIntExact(blocks * unit.blockSize())));
        long written = data.remaining() / unit.blockSize();
        unit.exclusively(lba, blocks, () -> {
            unit.write(lba, data.duplicate(), true);
            if (byteCheck == 1) {
                compare(unit.read(lba, written), data);
            }
        });
    }

    /**
     * VERIFY(10/12/16), SBC-3 §5.24–5.26. BYTCHK 00b: the blocks must be readable; 01b: compare with as many blocks
     * of data-out; 11b: compare each block with one block of data-out; 10b is reserved.
     */
    static void verify(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        BlockCdb form = BlockCdb.of(cdb);
        long blocks = checkTransfer(unit, cdb, form, 0x09);
        int byteCheck = (cdb[1] >>> 1) & 0x03;
        if (byteCheck == 2) {
            throw CheckCondition.invalidFieldInCdb(1, 2);
        }
        long lba = form.lba(cdb);
        unit.checkRange(lba, blocks);
        // The medium's blocks are as large as a READ's: a scratch buffer from the transport, given back with the task.
        ByteBuffer medium = unit.readIsolated(lba, blocks, task::allocateDataIn);
        if (byteCheck == 0) {
            return;
        }
        if (byteCheck == 1) {
            compare(medium, task.dataOut(medium.remaining()));
            return;
        }
        ByteBuffer pattern = task.dataOut(unit.blockSize());
        if (blocks > 0 && pattern.remaining() < unit.blockSize()) {
            throw CheckCondition.invalidFieldInCdb(1, 2);
        }
        for (int offset = 0; offset < medium.remaining(); offset += unit.blockSize()) {
            int mismatch = medium.slice(offset, unit.blockSize()).mismatch(pattern.duplicate());
            if (mismatch >= 0) {
                throw miscompare(offset + mismatch);
            }
        }
    }

    /** ORWRITE(16), SBC-3 §5.8 with BMOP 000b: each block becomes the OR of its old contents and the data-out. */
    static void orWrite(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        BlockCdb form = BlockCdb.SIXTEEN;
        long blocks = checkTransfer(unit, cdb, form, 0x05);
        unit.checkWritable();
        long lba = form.lba(cdb);
        unit.checkRange(lba, blocks);
        ByteBuffer data = wholeBlocks(unit, task.dataOut(Math.toIntExact(blocks * unit.blockSize())));
        long count = data.remaining() / unit.blockSize();
        unit.exclusively(lba, count, () -> {
            ByteBuffer merged = unit.read(lba, count);
            for (int i = 0; i < merged.limit(); i++) {
                merged.put(i, (byte) (merged.get(i) | data.get(data.position() + i)));
            }
            unit.write(lba, merged, (cdb[1] & FUA) != 0);
        });
    }

    /**
     * COMPARE AND WRITE, SBC-3 §5.2: data-out holds NUMBER OF LOGICAL BLOCKS blocks to compare, then as many to
     * write; a miscompare leaves the medium alone. Atomic against every other writer through the range lock.
     */
    static void compareAndWrite(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Cdb.noProtection(cdb);
        Cdb.reserved(cdb, 1, 0x05);
        Cdb.reserved(cdb, 10, 0xFF);
        Cdb.reserved(cdb, 11, 0xFF);
        Cdb.reserved(cdb, 12, 0xFF);
        Cdb.reserved(cdb, 14, 0xE0);
        int blocks = Fields.u8(cdb, 13);
        if (blocks > unit.limits().maxCompareAndWriteLength()) {
            throw CheckCondition.invalidFieldInCdb(13, -1);
        }
        unit.checkWritable();
        long lba = Fields.u64(cdb, 2);
        unit.checkRange(lba, blocks);
        if (blocks == 0) {
            if (task.dataOutSent() != 0) {
                // Data-Out with no blocks to compare cannot be meant: it is a field the initiator got wrong
                // (NUMBER OF LOGICAL BLOCKS is one byte, so 256 wraps to 0).
                throw CheckCondition.invalidFieldInCdb(13, -1);
            }
            task.dataOut(0);
            return; // SBC-3 §5.2: nothing is read, compared or written, and that is no error
        }
        int half = blocks * unit.blockSize();
        ByteBuffer data = task.dataOut(2 * half);
        if (task.dataOutSent() != 2 * half) {
            // The Data-Out must be exactly the verify and write instances; anything else cannot be split.
            throw CheckCondition.invalidFieldInCdb(13, -1);
        }
        ByteBuffer expected = data.slice(0, half);
        ByteBuffer replacement = data.slice(half, half);
        unit.exclusively(lba, blocks, () -> {
            compare(unit.read(lba, blocks), expected);
            unit.write(lba, replacement, (cdb[1] & FUA) != 0);
        });
    }

    /**
     * WRITE ATOMIC(16), SBC-4 §5.48: all of the blocks are written or none, and no READ sees a mix of old and new
     * (SBC-4 §4.29). The range is checked before the length against MAXIMUM ATOMIC TRANSFER LENGTH, so a write running
     * off the medium is LBA OUT OF RANGE whatever its length. TRANSFER LENGTH 0 is no error and writes nothing. The
     * data-out must be complete: a partial atomic write is no atomic write, so a short one is refused unwritten.
     */
    static void writeAtomic(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Cdb.noProtection(cdb);
        Cdb.reserved(cdb, 1, 0x07);
        Cdb.reserved(cdb, 14, 0xC0);
        if (Fields.u16(cdb, 10) != 0) {
            throw CheckCondition.invalidFieldInCdb(10, -1); // ATOMIC BOUNDARY: MAXIMUM ATOMIC BOUNDARY SIZE is 0
        }
        unit.checkWritable();
        long lba = Fields.u64(cdb, 2);
        int blocks = Fields.u16(cdb, 12);
        unit.checkRange(lba, blocks);
        if (blocks > unit.limits().maxAtomicTransferLength()) {
            throw CheckCondition.invalidFieldInCdb(12, -1);
        }
        int length = blocks * unit.blockSize();
        ByteBuffer data = task.dataOut(length);
        if (data.remaining() < length) {
            throw CheckCondition.invalidFieldInCdb(12, -1);
        }
        if (blocks == 0) {
            return;
        }
        unit.exclusively(lba, blocks, () -> unit.write(lba, data, (cdb[1] & FUA) != 0));
    }

    /**
     * The field checks shared by the 10/12/16-byte forms (protection 0, reserved bits of byte 1 and of the group
     * byte) or the 6-byte form (bits 7..5 of byte 1 reserved, length 0 meaning 256), then MAXIMUM TRANSFER LENGTH.
     */
    private static long checkTransfer(DiskUnit unit, byte[] cdb, BlockCdb form, int reservedInByteOne) {
        long blocks;
        if (form == BlockCdb.SIX) {
            Cdb.reserved(cdb, 1, 0xE0);
            long length = form.length(cdb);
            blocks = length == 0 ? 256 : length;
        } else {
            Cdb.noProtection(cdb);
            Cdb.reserved(cdb, 1, reservedInByteOne);
            form.checkGroupByte(cdb);
            blocks = form.length(cdb);
        }
        unit.checkTransferLength(blocks, form.lengthByte());
        return blocks;
    }

    /** Cuts a data-out view down to the whole blocks it holds. */
    private static ByteBuffer wholeBlocks(DiskUnit unit, ByteBuffer data) {
        int whole = data.remaining() / unit.blockSize() * unit.blockSize();
        return data.limit(data.position() + whole);
    }

    /** MISCOMPARE with the byte offset of the first difference unless {@code expected} matches the medium. */
    private static void compare(ByteBuffer medium, ByteBuffer expected) {
        int mismatch = medium.mismatch(expected);
        if (mismatch >= 0 && mismatch < Math.min(medium.remaining(), expected.remaining())) {
            throw miscompare(mismatch);
        }
    }

    /** SBC-3 §5.2, §5.24: MISCOMPARE DURING VERIFY OPERATION, INFORMATION = offset of the first differing byte. */
    static CheckCondition miscompare(long offset) {
        return CheckCondition.of(SenseKey.MISCOMPARE, AdditionalSense.MISCOMPARE_DURING_VERIFY_OPERATION)
                .withInformation(offset);
    }
}
