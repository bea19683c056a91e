package org.storagegateway.scsi.sbc;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.ScsiTask;

/**
 * Capacity, cache, power and medium commands of a disk: READ CAPACITY(10/16), SYNCHRONIZE CACHE(10/16),
 * PRE-FETCH(10/16), START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL and READ DEFECT DATA(10/12) (SBC-3 §5.9, §5.10,
 * §5.15–5.18, §5.20, §5.22, §5.23).
 */
final class DeviceCommands {
    /** DEFECT LIST FORMAT 110b (vendor specific) and 111b (reserved) have no meaning here (SBC-3 table 39). */
    private static final int LAST_DEFINED_DEFECT_FORMAT = 0x05;

    private DeviceCommands() {
    }

    /** READ CAPACITY(10), SBC-3 §5.15: last LBA (FFFFFFFFh when it does not fit) and block length. */
    static void readCapacity10(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Cdb.reserved(cdb, 1, 0xFF);
        Cdb.reserved(cdb, 6, 0xFF);
        Cdb.reserved(cdb, 7, 0xFF);
        Cdb.reserved(cdb, 8, 0xFE);
        if ((cdb[8] & 0x01) == 0 && Fields.u32(cdb, 2) != 0) {
            throw CheckCondition.invalidFieldInCdb(2, -1); // an LBA without PMI is an error
        }
        long last = unit.blockCount() - 1;
        byte[] data = new byte[8];
        Fields.put32(data, 0, last > 0xFFFF_FFFEL ? 0xFFFF_FFFFL : last);
        Fields.put32(data, 4, unit.blockSize());
        task.dataIn(data, data.length);
    }

    /**
     * READ CAPACITY(16), SBC-3 §5.16: last LBA, block length, no protection, logical blocks per physical block,
     * LBPME (thin provisioned) and LBPRZ (deallocated blocks read as zeros), lowest aligned LBA 0.
     */
    static void readCapacity16(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reserved(cdb, 14, 0xFE);
        long allocationLength = Fields.u32(cdb, 10);
        if ((cdb[14] & 0x01) == 0 && Fields.u64(cdb, 2) != 0) {
            throw CheckCondition.invalidFieldInCdb(2, -1);
        }
        byte[] data = new byte[32];
        Fields.put64(data, 0, unit.blockCount() - 1);
        Fields.put32(data, 8, unit.blockSize());
        data[13] = (byte) unit.physicalBlockExponent();
        data[14] = (byte) 0xC0;
        task.dataIn(data, (int) Math.min(allocationLength, data.length));
    }

    /**
     * SYNCHRONIZE CACHE(10/16), SBC-3 §5.22–5.23. The range is checked, then the whole device is flushed: a partial
     * flush buys nothing here. With IMMED the command still completes only after the flush, which is allowed.
     */
    static void synchronizeCache(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        BlockCdb form = BlockCdb.of(cdb);
        Cdb.reserved(cdb, 1, 0xF9);
        form.checkGroupByte(cdb);
        long lba = form.lba(cdb);
        long blocks = form.length(cdb);
        unit.checkRange(lba, blocks);
        unit.flush();
    }

    /**
     * PRE-FETCH(10/16), SBC-3 §5.9. CONDITION MET when the device reports the whole range now in its cache; GOOD when
     * it has no cache that could hold it (the memory and file devices: their data already sits where reads come from).
     */
    static void preFetch(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        BlockCdb form = BlockCdb.of(cdb);
        Cdb.reserved(cdb, 1, 0xFD);
        form.checkGroupByte(cdb);
        long lba = form.lba(cdb);
        long blocks = form.length(cdb);
        unit.checkRange(lba, blocks);
        boolean cached;
        try {
            cached = unit.device().prefetch(lba * unit.blockSize(), blocks * unit.blockSize());
        } catch (IOException | UncheckedIOException e) {
            cached = false; // PRE-FETCH is advice: a failed read-ahead is not the command's failure
        }
        if (cached) {
            task.status(ScsiStatus.CONDITION_MET);
        }
    }

    /**
     * START STOP UNIT, SBC-3 §5.20. The disk is always ready, so START changes nothing; stopping with NO_FLUSH 0
     * flushes first, as the standard asks. Only the START_VALID power condition (0h) is supported, and LOEJ is refused:
     * the medium is not removable.
     */
    static void startStopUnit(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Cdb.reserved(cdb, 1, 0xFE);
        Cdb.reserved(cdb, 2, 0xFF);
        Cdb.reserved(cdb, 3, 0xF0);
        Cdb.reserved(cdb, 4, 0x08);
        if ((cdb[4] & 0xF0) != 0) {
            throw CheckCondition.invalidFieldInCdb(4, 7);
        }
        if ((cdb[3] & 0x0F) != 0) {
            throw CheckCondition.invalidFieldInCdb(3, 3);
        }
        if ((cdb[4] & 0x02) != 0) {
            throw CheckCondition.invalidFieldInCdb(4, 1);
        }
        boolean start = (cdb[4] & 0x01) != 0;
        boolean noFlush = (cdb[4] & 0x04) != 0;
        if (!start && !noFlush) {
            unit.flush();
        }
    }

    /**
     * PREVENT ALLOW MEDIUM REMOVAL, SBC-3 §5.10: the medium is not removable, so 00b and 01b are accepted and change
     * nothing; 10b and 11b are obsolete and refused.
     */
    static void preventAllowMediumRemoval(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        for (int i = 1; i <= 3; i++) {
            Cdb.reserved(cdb, i, 0xFF);
        }
        Cdb.reserved(cdb, 4, 0xFC);
        if ((cdb[4] & 0x02) != 0) {
            throw CheckCondition.invalidFieldInCdb(4, 1);
        }
    }

    /**
     * READ DEFECT DATA(10/12), SBC-3 §5.17–5.18. A virtual disk has no medium defects, so both the primary and the
     * grown list are valid and empty: the header alone, with PLISTV and GLISTV echoing the lists asked for and the
     * requested DEFECT LIST FORMAT (any defined format describes an empty list), cut to the ALLOCATION LENGTH. The
     * ADDRESS DESCRIPTOR INDEX of the 12-byte form points past the end of an empty list, which is no error.
     */
    static void readDefectData(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        boolean twelve = (cdb[0] & 0xFF) == 0xB7;
        int flagsByte = twelve ? 1 : 2;
        Cdb.reserved(cdb, flagsByte, 0xE0);
        if (!twelve) {
            Cdb.reserved(cdb, 1, 0xFF);
            for (int i = 3; i <= 6; i++) {
                Cdb.reserved(cdb, i, 0xFF);
            }
        } else {
            Cdb.reserved(cdb, 10, 0xFF);
        }
        int flags = cdb[flagsByte] & 0x1F;
        if ((flags & 0x07) > LAST_DEFINED_DEFECT_FORMAT) {
            throw CheckCondition.invalidFieldInCdb(flagsByte, 2);
        }
        long allocationLength = twelve ? Fields.u32(cdb, 6) : Fields.u16(cdb, 7);
        byte[] header = new byte[twelve ? 8 : 4];
        header[1] = (byte) flags; // PLISTV, GLISTV where REQ_PLIST, REQ_GLIST; the format; DEFECT LIST LENGTH 0
        task.dataIn(header, (int) Math.min(allocationLength, header.length));
    }
}
