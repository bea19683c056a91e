package org.storagegateway.benchmarks.iscsi.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.storagegateway.benchmarks.MicroBenchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.storagegateway.iscsi.codec.Crc32cDigest;

/**
 * The CRC32C digest of RFC 7143 §13.1 over a BHS (48 B), a small data segment (8 KiB) and a large one (256 KiB), in
 * heap, direct and composite buffers. {@link #crc32cDigest} is the code's path ({@link Crc32cDigest#compute}: a new
 * {@link CRC32C} per call over the buffer's NIO views); {@link #jdkReused} is the floor it is measured against: one
 * {@link CRC32C} reset per call over a ByteBuffer prepared beforehand, i.e. the JDK intrinsic alone. The code uses no
 * other CRC32C implementation, so the comparison is between that path and its floor.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Crc32cBenchmark extends MicroBenchmark {
    @Param({"48", "8192", "262144"})
    int size;

    @Param({"HEAP", "DIRECT", "COMPOSITE"})
    BufferKind buffer;

    private ByteBuf bytes;
    private ByteBuffer[] views;
    private final CRC32C reused = new CRC32C();

    @Setup(Level.Trial)
    public void setUp() {
        bytes = buffer.copyOf(BufferKind.pattern(size));
        views = bytes.nioBuffers();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bytes.release();
    }

    @Benchmark
    public int crc32cDigest() {
        return Crc32cDigest.compute(bytes, bytes.readerIndex(), size, 0);
    }

    @Benchmark
    public int jdkReused() {
        reused.reset();
        for (ByteBuffer view : views) {
            int start = view.position();
            reused.update(view);
            view.position(start);
        }
        return (int) reused.getValue();
    }
}
