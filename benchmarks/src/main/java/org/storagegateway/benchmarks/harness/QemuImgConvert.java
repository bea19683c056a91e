package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code qemu-img convert} copying a file of random bytes onto the whole LUN: the only client here that writes
 * incompressible data (the others write one byte pattern, which LZ4 shrinks about 200-fold). Eight coroutines
 * ({@code -m 8}) write out of order ({@code -W}); a {@code blkdebug} layer caps every request at 1 MiB, since
 * convert otherwise sizes its requests by each target's OPTIMAL TRANSFER LENGTH and the peers would not get the same
 * requests. It reports nothing itself, so throughput is the LUN's size over the wall time of the whole run, which
 * includes QEMU's closing SYNCHRONIZE CACHE.
 *
 * <p>The random file lives in /dev/shm, so reading it costs the disk under test nothing; it is made on first use
 * (from a fixed seed: every run writes the same bytes) and removed by {@link #close()}.
 */
final class QemuImgConvert implements Client, AutoCloseable {
    private static final long SEED = 0x5eed_0f_b10c5L;
    private static final int MAX_REQUEST = 1 << 20;

    private Path source;

    @Override
    public String name() {
        return "qemu-img convert";
    }

    @Override
    public List<String> executables() {
        return List.of("qemu-img");
    }

    @Override
    public boolean drives(Workload workload) {
        return workload.randomData();
    }

    @Override
    public Measurement run(Workload workload, Target target, Scale scale, Processes processes, Path log)
            throws IOException {
        Path random = source(target.bytes());
        List<String> command = List.of("qemu-img", "convert", "-n", "-f", "raw", "-t", "none",
                "-m", Integer.toString(workload.queueDepth()), "-W", "-S", "0", "--target-image-opts",
                random.toString(), "driver=raw,file.driver=blkdebug,file.max-transfer=" + MAX_REQUEST + ","
                        + target.iscsiOptions("file.image"));
        long start = System.nanoTime();
        processes.runOrFail(log, Duration.ofMinutes(15), command);
        double seconds = (System.nanoTime() - start) / 1e9;
        long requests = target.bytes() / workload.requestBytes();
        return new Measurement(workload.throughput(requests / seconds), requests);
    }

    /** The random file, {@code bytes} long, made now if it does not exist at that size. */
    private Path source(long bytes) throws IOException {
        if (source != null && Files.size(source) == bytes) {
            return source;
        }
        close();
        Path file = Files.createTempFile(Path.of("/dev/shm"), "storagegateway-bench-random-", ".img");
        source = file;
        SplittableRandom random = new SplittableRandom(SEED);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += buffer.capacity()) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip().limit((int) Math.min(buffer.capacity(), bytes - written));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
        return file;
    }

    /** Removes the random file. */
    @Override
    public void close() throws IOException {
        if (source != null) {
            Files.deleteIfExists(source);
            source = null;
        }
    }
}
