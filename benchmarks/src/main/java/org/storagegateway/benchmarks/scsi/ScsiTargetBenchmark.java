package org.storagegateway.benchmarks.scsi;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.storagegateway.benchmarks.MicroBenchmark;
import org.storagegateway.benchmarks.iscsi.codec.BufferKind;
import org.storagegateway.scsi.DataInAllocator;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.TaskAttribute;
import org.storagegateway.scsi.block.MemoryBlockDevice;

/**
 * One command through {@link ScsiTarget#execute}: LUN decode, opcode table, CDB shape, unit attention and reservation
 * checks, the handler, and the result with its residual, on a {@link MemoryDisk}. TEST UNIT READY is the dispatch
 * alone; INQUIRY adds building parameter data; READ(10)/WRITE(10) of 4 KiB add CDB parsing, range checks, range locks
 * and the copy; the 1 MiB READ(10) is the SCSI half of the Data-In path. Successive commands walk the written part of
 * the disk. {@link #mediumReadLarge} is the floor of the 1 MiB READ: the same bytes copied from the medium into a
 * buffer allocated once, with no SCSI layer and no allocation per command. Reads fill one direct buffer allocated
 * once, as they fill the transport's pooled buffers ({@link DataInAllocator}), so what is allocated per operation is
 * the SCSI layer's own.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScsiTargetBenchmark extends MicroBenchmark {
    static final ItNexus NEXUS = new ItNexus("iqn.2026-01.org.storagegateway.bench:initiator",
            "iqn.2026-01.org.storagegateway.bench:initiator,i,0x023d00000001",
            "iqn.2026-01.org.storagegateway.bench:disk0,t,0x0001", 1);
    static final int SMALL = 4096;
    static final int LARGE = 1 << 20;

    private MemoryBlockDevice medium;
    private ScsiTarget target;
    private final ByteBuffer mediumBuffer = ByteBuffer.allocate(LARGE);
    private final ByteBuffer dataInBuffer = ByteBuffer.allocateDirect(LARGE);
    private final DataInAllocator dataIn = length -> dataInBuffer.clear().limit(length);
    private final byte[] testUnitReady = new byte[16];
    private final byte[] inquiry = {0x12, 0, 0, 0, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private final byte[] read4k = MemoryDisk.cdb10(0x28, 0, SMALL / MemoryDisk.BLOCK_SIZE);
    private final byte[] write4k = MemoryDisk.cdb10(0x2A, 0, SMALL / MemoryDisk.BLOCK_SIZE);
    private final byte[] read1m = MemoryDisk.cdb10(0x28, 0, LARGE / MemoryDisk.BLOCK_SIZE);
    private final ByteBuffer writeData = ByteBuffer.wrap(BufferKind.pattern(SMALL));
    private long smallLba;
    private long largeLba;
    private long taskTag;

    @Setup(Level.Trial)
    public void setUp() {
        medium = MemoryDisk.medium();
        target = MemoryDisk.target(medium);
        MemoryDisk.admit(target, NEXUS);
    }

    @Benchmark
    public ScsiResult testUnitReady() {
        return target.execute(command(testUnitReady, 0, false, null));
    }

    @Benchmark
    public ScsiResult inquiry() {
        return target.execute(command(inquiry, 255, true, null));
    }

    @Benchmark
    public ScsiResult read10Small() {
        MemoryDisk.setLba10(read4k, nextSmallLba());
        return target.execute(command(read4k, SMALL, true, null));
    }

    @Benchmark
    public ScsiResult write10Small() {
        MemoryDisk.setLba10(write4k, nextSmallLba());
        return target.execute(command(write4k, SMALL, false, writeData));
    }

    @Benchmark
    public ScsiResult read10Large() {
        largeLba = (largeLba + LARGE / MemoryDisk.BLOCK_SIZE) % MemoryDisk.WRITTEN_BLOCKS;
        MemoryDisk.setLba10(read1m, largeLba);
        return target.execute(command(read1m, LARGE, true, null));
    }

    @Benchmark
    public ByteBuffer mediumReadLarge() {
        largeLba = (largeLba + LARGE / MemoryDisk.BLOCK_SIZE) % MemoryDisk.WRITTEN_BLOCKS;
        mediumBuffer.clear();
        medium.read(largeLba * MemoryDisk.BLOCK_SIZE, mediumBuffer);
        return mediumBuffer.flip();
    }

    private long nextSmallLba() {
        smallLba = (smallLba + SMALL / MemoryDisk.BLOCK_SIZE) % MemoryDisk.WRITTEN_BLOCKS;
        return smallLba;
    }

    // As the transport builds it per command (IscsiTask.toScsiCommand); the data-out view is the transport's buffer.
    private ScsiCommand command(byte[] cdb, int expectedLength, boolean read, ByteBuffer dataOut) {
        return new ScsiCommand(NEXUS, 0, cdb, ++taskTag, TaskAttribute.SIMPLE, expectedLength, read,
                dataOut != null, dataOut == null ? null : dataOut.duplicate(), dataIn);
    }
}
