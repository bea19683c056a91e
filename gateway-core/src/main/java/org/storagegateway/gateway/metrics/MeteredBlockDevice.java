package org.storagegateway.gateway.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.storagegateway.scsi.block.BlockDevice;

/**
 * A block device that counts what initiators read and write through it, and how long each took: the per-volume
 * ReadBytes, WriteBytes, ReadTime and WriteTime that ops staff know from CloudWatch. Two clock reads and two adds per
 * call, next to a command that costs tens of microseconds.
 */
public final class MeteredBlockDevice implements BlockDevice {
    private final BlockDevice device;
    private final LongAdder readBytes = new LongAdder();
    private final LongAdder readNanos = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final LongAdder writes = new LongAdder();

    public MeteredBlockDevice(BlockDevice device) {
        this.device = device;
    }

    /** The device counted. */
    public BlockDevice device() {
        return device;
    }

    /** Totals since the device opened. */
    public record Io(long readBytes, long reads, long readNanos, long writeBytes, long writes, long writeNanos) {
    }

    public Io io() {
        return new Io(readBytes.sum(), reads.sum(), readNanos.sum(), writeBytes.sum(), writes.sum(),
                writeNanos.sum());
    }

    @Override
    public long size() {
        return device.size();
    }

    @Override
    public void read(long offset, ByteBuffer destination) throws IOException {
        int length = destination.remaining();
        long started = System.nanoTime();
        device.read(offset, destination);
        readNanos.add(System.nanoTime() - started);
        readBytes.add(length);
        reads.increment();
    }

    @Override
    public void write(long offset, ByteBuffer source, boolean forceUnitAccess) throws IOException {
        int length = source.remaining();
        long started = System.nanoTime();
        device.write(offset, source, forceUnitAccess);
        writeNanos.add(System.nanoTime() - started);
        writeBytes.add(length);
        writes.increment();
    }

    @Override
    public void deallocate(long offset, long length) throws IOException {
        device.deallocate(offset, length);
    }

    @Override
    public List<Extent> mapping(long offset, long maxLength, int maxExtents) throws IOException {
        return device.mapping(offset, maxLength, maxExtents);
    }

    @Override
    public void flush() throws IOException {
        device.flush();
    }

    @Override
    public void resize(long newSize) throws IOException {
        device.resize(newSize);
    }

    @Override
    public boolean volatileWriteCache() {
        return device.volatileWriteCache();
    }

    @Override
    public boolean prefetch(long offset, long length) throws IOException {
        return device.prefetch(offset, length);
    }

    @Override
    public boolean mayBlock() {
        return device.mayBlock();
    }

    @Override
    public void close() throws IOException {
        device.close();
    }
}
