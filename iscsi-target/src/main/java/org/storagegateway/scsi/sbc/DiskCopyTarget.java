package org.storagegateway.scsi.sbc;

import java.nio.ByteBuffer;

import org.storagegateway.scsi.copy.CopyTarget;

/**
 * A disk as a copy target of EXTENDED COPY: reads and writes go to its medium as its own READ and WRITE do, writes
 * under its range locks, so a copy never tears a COMPARE AND WRITE (SBC-3 §5.2).
 */
final class DiskCopyTarget implements CopyTarget {
    private final DiskUnit unit;

    DiskCopyTarget(DiskUnit unit) {
        this.unit = unit;
    }

    @Override
    public byte[] naa() {
        return unit.identification().naa();
    }

    @Override
    public int peripheralDeviceType() {
        return unit.deviceType().code();
    }

    @Override
    public int blockSize() {
        return unit.blockSize();
    }

    @Override
    public long blockCount() {
        return unit.blockCount();
    }

    @Override
    public void read(long lba, ByteBuffer destination) {
        unit.readInto(lba, destination);
    }

    @Override
    public void write(long lba, ByteBuffer source) {
        unit.exclusively(lba, source.remaining() / unit.blockSize(), () -> unit.write(lba, source, false));
    }

    @Override
    public void checkWritable() {
        unit.checkWritable();
    }
}
