package org.storagegateway.scsi.spc;

import static org.storagegateway.scsi.device.Fields.u16;
import static org.storagegateway.scsi.device.Fields.u32Length;
import static org.storagegateway.scsi.device.Fields.u8;

import java.nio.ByteBuffer;

import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.OpcodeTable;
import org.storagegateway.scsi.device.ScsiTask;
import org.storagegateway.scsi.pr.Reservations;

/**
 * The reservation commands' CDBs: PERSISTENT RESERVE IN/OUT (SPC-4 §6.15, §6.16) and RESERVE/RELEASE (6) and (10)
 * (SPC-2 §7.21–§7.24). The reservation state itself, and every check of the parameter list, is {@link Reservations}'.
 */
final class ReservationCommands {
    private ReservationCommands() {
    }

    static void persistentReserveIn(LogicalUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Reservations reservations = SpcContext.present(task).reservations();
        byte[] data = reservations.persistentReserveIn(task.nexus(), OpcodeTable.serviceActionOf(cdb));
        task.dataIn(data, u16(cdb, 7));
    }

    static void persistentReserveOut(LogicalUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        int scope = u8(cdb, 2) >>> 4;
        int type = u8(cdb, 2) & 0x0F;
        ByteBuffer parameters = task.dataOut(u32Length(cdb, 5));
        SpcContext.present(task).reservations()
                .persistentReserveOut(task.nexus(), OpcodeTable.serviceActionOf(cdb), scope, type, parameters);
    }

    /** RESERVE(6) (SPC-2 §7.21): only whole-unit reservations; the obsolete extent reservation is refused. */
    static void reserve6(LogicalUnit unit, ScsiTask task) {
        refuseBits(task.cdb(), 1, 0x1F);
        SpcContext.present(task).reservations().reserve(task.nexus());
    }

    static void release6(LogicalUnit unit, ScsiTask task) {
        refuseBits(task.cdb(), 1, 0x1F);
        SpcContext.present(task).reservations().release(task.nexus());
    }

    /** RESERVE(10) (SPC-2 §7.22): third-party reservations (3RDPTY, LONGID) are not supported. */
    static void reserve10(LogicalUnit unit, ScsiTask task) {
        refuseBits(task.cdb(), 1, 0x13);
        SpcContext.present(task).reservations().reserve(task.nexus());
    }

    static void release10(LogicalUnit unit, ScsiTask task) {
        refuseBits(task.cdb(), 1, 0x13);
        SpcContext.present(task).reservations().release(task.nexus());
    }

    private static void refuseBits(byte[] cdb, int at, int mask) {
        int set = cdb[at] & mask;
        if (set != 0) {
            throw CheckCondition.invalidFieldInCdb(at, 31 - Integer.numberOfLeadingZeros(set));
        }
    }
}
