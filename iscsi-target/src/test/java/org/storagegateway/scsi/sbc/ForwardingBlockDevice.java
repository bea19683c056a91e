package org.storagegateway.scsi.sbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.storagegateway.scsi.block.BlockDevice;
import org.storagegateway.scsi.block.MemoryBlockDevice;

/** A memory device that tests wrap to observe or steer what a disk asks of its medium. */
class ForwardingBlockDevice implements BlockDevice {
    final MemoryBlockDevice inner;

    ForwardingBlockDevice(long size) {
        this.inner = new MemoryBlockDevice(size);
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public void read(long offset, ByteBuffer destination) throws IOException {
        inner.read(offset, destination);
    }

    @Override
    public void write(long offset, ByteBuffer source, boolean forceUnitAccess) throws IOException {
        inner.write(offset, source, forceUnitAccess);
    }

    @Override
    public void deallocate(long offset, long length) {
        inner.deallocate(offset, length);
    }

    @Override
    public List<Extent> mapping(long offset, long maxLength, int maxExtents) {
        return inner.mapping(offset, maxLength, maxExtents);
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    @Override
    public void resize(long newSize) {
        inner.resize(newSize);
    }

    @Override
    public boolean volatileWriteCache() {
        return inner.volatileWriteCache();
    }

    @Override
    public boolean mayBlock() {
        return inner.mayBlock();
    }

    @Override
    public void close() {
        inner.close();
    }
}
