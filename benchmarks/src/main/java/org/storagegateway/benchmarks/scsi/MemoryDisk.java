package org.storagegateway.benchmarks.scsi;

import java.nio.ByteBuffer;
import org.storagegateway.benchmarks.iscsi.codec.BufferKind;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.TaskAttribute;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.DeviceIdentification;
import org.storagegateway.scsi.sbc.DiskUnit;

/**
 * The device every benchmark of the command path reads from: a {@link ScsiTarget} with one {@link DiskUnit} of
 * 512-byte blocks at LUN 0 over a {@link MemoryBlockDevice}, its first {@link #WRITTEN_BYTES} written with a
 * non-zero pattern so that reads copy real pages instead of the shared zero page.
 */
public final class MemoryDisk {
    public static final int BLOCK_SIZE = 512;
    /** Capacity of the disk. */
    public static final long SIZE = 1L << 30;
    /** The leading part of the disk that holds data; benchmarks keep their LBAs inside it. */
    public static final int WRITTEN_BYTES = 64 << 20;
    /** Blocks in {@link #WRITTEN_BYTES}. */
    public static final long WRITTEN_BLOCKS = WRITTEN_BYTES / BLOCK_SIZE;

    private MemoryDisk() {
    }

    /** A fresh medium with its first {@link #WRITTEN_BYTES} written. */
    public static MemoryBlockDevice medium() {
        MemoryBlockDevice device = new MemoryBlockDevice(SIZE);
        byte[] chunk = BufferKind.pattern(1 << 20);
        for (long offset = 0; offset < WRITTEN_BYTES; offset += chunk.length) {
            device.write(offset, ByteBuffer.wrap(chunk), false);
        }
        return device;
    }

    /** A fresh target holding a disk on a fresh medium; nexuses must still be added (see {@link #admit}). */
    public static ScsiTarget target() {
        return target(medium());
    }

    /** A fresh target holding a disk on {@code device}. */
    public static ScsiTarget target(MemoryBlockDevice device) {
        byte[] naa = new byte[16];
        naa[0] = 0x60;
        naa[15] = 1;
        DiskUnit unit = new DiskUnit(device, BLOCK_SIZE, new DeviceIdentification("bench-0001", naa), "SGW", "Volume",
                "0001", false);
        return ScsiTarget.builder().logicalUnit(0, unit).build();
    }

    /**
     * Adds a nexus and clears its power-on unit attention with TEST UNIT READY (SAM-5 §5.14), so that the first
     * measured command is not answered with CHECK CONDITION.
     */
    public static void admit(ScsiTarget target, ItNexus nexus) {
        target.nexusAdded(nexus);
        for (int attempt = 0; attempt < 8; attempt++) {
            ScsiResult result = target.execute(new ScsiCommand(nexus, 0, new byte[16], attempt,
                    TaskAttribute.SIMPLE, 0, false, false, null));
            if (result.status() == ScsiStatus.GOOD) {
                return;
            }
        }
        throw new IllegalStateException("TEST UNIT READY never answered GOOD");
    }

    /** A READ(10) or WRITE(10) CDB (SBC-3 §5.12, §5.30), padded to the 16 bytes iSCSI carries. */
    public static byte[] cdb10(int opcode, long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        setLba10(cdb, lba);
        cdb[7] = (byte) (blocks >>> 8);
        cdb[8] = (byte) blocks;
        return cdb;
    }

    /** Rewrites the LOGICAL BLOCK ADDRESS field of a 10-byte CDB in place. */
    public static void setLba10(byte[] cdb, long lba) {
        cdb[2] = (byte) (lba >>> 24);
        cdb[3] = (byte) (lba >>> 16);
        cdb[4] = (byte) (lba >>> 8);
        cdb[5] = (byte) lba;
    }
}
