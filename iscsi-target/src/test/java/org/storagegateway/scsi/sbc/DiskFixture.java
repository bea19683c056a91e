package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.TaskAttribute;
import org.storagegateway.scsi.block.BlockDevice;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.DeviceIdentification;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.ScsiTask;

/** Builds disks and CDBs, and runs commands through the opcode table as the dispatcher would. */
public final class DiskFixture {
    static final int BLOCK = 512;
    static final ItNexus NEXUS = new ItNexus("iqn.2026-11.test:initiator", "iqn.2026-11.test:initiator,i,0x1",
            "iqn.2026-11.org.storagegateway:disk,t,0x1", 1);

    private DiskFixture() {
    }

    static DeviceIdentification identification() {
        byte[] naa = new byte[16];
        naa[0] = 0x60;
        naa[15] = 1;
        return new DeviceIdentification("disk-0001", naa);
    }

    static DiskUnit disk(long blocks) {
        return disk(new MemoryBlockDevice(blocks * BLOCK), false);
    }

    static DiskUnit disk(BlockDevice device, boolean readOnly) {
        return new DiskUnit(device, BLOCK, identification(), "SGW", "Volume", "0001", readOnly);
    }

    /** Runs one command; {@code dataOut} may be null. */
    static ScsiTask run(DiskUnit unit, byte[] cdb, byte[] dataOut) {
        return run(unit, NEXUS, cdb, dataOut);
    }

    /** Runs one command from a given nexus; {@code dataOut} may be null. */
    public static ScsiTask run(DiskUnit unit, ItNexus nexus, byte[] cdb, byte[] dataOut) {
        int edtl = dataOut == null ? 0 : dataOut.length;
        ScsiCommand command = new ScsiCommand(nexus, 0, cdb, 1, TaskAttribute.SIMPLE, edtl, dataOut == null,
                dataOut != null, dataOut == null ? null : ByteBuffer.wrap(dataOut));
        ScsiTask task = new ScsiTask(command, 0);
        CommandDescriptor<DiskUnit> descriptor = unit.opcodes().lookup(cdb);
        assertNotNull(descriptor, () -> String.format("opcode 0x%02x not registered", cdb[0]));
        descriptor.handler().handle(unit, task);
        return task;
    }

    static ScsiTask run(DiskUnit unit, byte[] cdb) {
        return run(unit, cdb, null);
    }

    static byte[] dataIn(ScsiTask task) {
        ByteBuffer data = task.producedDataIn();
        if (data == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    static CheckCondition fails(DiskUnit unit, byte[] cdb, byte[] dataOut) {
        return assertThrows(CheckCondition.class, () -> run(unit, cdb, dataOut));
    }

    static void assertSense(CheckCondition failure, SenseKey key, AdditionalSense sense) {
        assertEquals(key, failure.senseKey());
        assertEquals(sense, failure.additionalSense());
    }

    /** ILLEGAL REQUEST, INVALID FIELD IN CDB at this byte and bit. */
    static void assertInvalidField(CheckCondition failure, int byteIndex, int bit) {
        assertSense(failure, SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB);
        assertEquals(new CheckCondition.FieldPointer(true, byteIndex, bit), failure.fieldPointer());
    }

    static void assertOutOfRange(CheckCondition failure) {
        assertSense(failure, SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
    }

    static byte[] cdb6(int opcode, long lba, int length) {
        return new byte[] {(byte) opcode, (byte) ((lba >>> 16) & 0x1F), (byte) (lba >>> 8), (byte) lba,
                (byte) length, 0};
    }

    static byte[] cdb10(int opcode, int byte1, long lba, int length) {
        byte[] cdb = new byte[10];
        cdb[0] = (byte) opcode;
        cdb[1] = (byte) byte1;
        Fields.put32(cdb, 2, lba);
        Fields.put16(cdb, 7, length);
        return cdb;
    }

    static byte[] cdb12(int opcode, int byte1, long lba, long length) {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) opcode;
        cdb[1] = (byte) byte1;
        Fields.put32(cdb, 2, lba);
        Fields.put32(cdb, 6, length);
        return cdb;
    }

    static byte[] cdb16(int opcode, int byte1, long lba, long length) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        cdb[1] = (byte) byte1;
        Fields.put64(cdb, 2, lba);
        Fields.put32(cdb, 10, length);
        return cdb;
    }

    static byte[] filled(int length, int value) {
        byte[] data = new byte[length];
        java.util.Arrays.fill(data, (byte) value);
        return data;
    }

    static byte[] readBlocks(DiskUnit unit, long lba, int blocks) {
        return dataIn(run(unit, cdb16(0x88, 0, lba, blocks)));
    }

    static void writeBlocks(DiskUnit unit, long lba, byte[] data) {
        run(unit, cdb16(0x8A, 0, lba, data.length / BLOCK), data);
    }
}
