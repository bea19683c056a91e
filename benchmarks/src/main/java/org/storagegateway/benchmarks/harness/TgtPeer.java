package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * tgt, the Linux userspace target (Debian {@code tgt}): {@code tgtd -f} in the foreground on its own portal and
 * control port, configured with {@code tgtadm}; its LUN 1 (LUN 0 is tgt's controller) is a file in a directory the
 * scenario picks: /dev/shm (tmpfs) against the appliance's memory disk, a disk file system against its cache.
 */
final class TgtPeer implements Peer {
    private static final String TARGET = "iqn.2026-11.org.storagegateway.bench:tgt";

    private final int port;
    private final Path backingFile;
    private Process process;

    TgtPeer(int port, Path directory) {
        this.port = port;
        this.backingFile = directory.resolve("storagegateway-bench-tgt-" + port + ".img");
    }

    @Override
    public String name() {
        return "tgt";
    }

    @Override
    public List<String> executables() {
        return List.of("tgtd", "tgtadm");
    }

    @Override
    public String version(Processes processes, Path log) throws IOException {
        return "tgt " + processes.runOrFail(log, Duration.ofSeconds(30), List.of("tgtd", "--version")).strip();
    }

    @Override
    public String backingStore() throws IOException {
        Path directory = backingFile.getParent();
        return "a file in " + directory + " (" + Mounts.of(directory) + "), tgt's rdwr backing store (buffered"
                + " writes, fdatasync on SYNCHRONIZE CACHE)";
    }

    @Override
    public Target start(long lunBytes, Path workDirectory, Processes processes) throws IOException {
        Processes.requireFree(port);
        try (RandomAccessFile file = new RandomAccessFile(backingFile.toFile(), "rw")) {
            file.setLength(lunBytes);
        }
        Path log = workDirectory.resolve("tgtd.log");
        // -C: the control port (an abstract socket named after it), so that tgtadm talks only to this tgtd.
        String control = Integer.toString(port);
        process = processes.start(log, List.of("tgtd", "-f", "-C", control, "--iscsi", "portal=127.0.0.1:" + port));
        Processes.awaitListening(process, port, Duration.ofSeconds(30), log);
        Path adminLog = workDirectory.resolve("tgtadm.log");
        List<String> admin = List.of("tgtadm", "-C", control, "--lld", "iscsi");
        processes.runOrFail(adminLog, Duration.ofSeconds(30), concat(admin,
                "--op", "new", "--mode", "target", "--tid", "1", "-T", TARGET));
        processes.runOrFail(adminLog, Duration.ofSeconds(30), concat(admin,
                "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "-b", backingFile.toString()));
        processes.runOrFail(adminLog, Duration.ofSeconds(30), concat(admin,
                "--op", "bind", "--mode", "target", "--tid", "1", "-I", "ALL"));
        return new Target("iscsi://127.0.0.1:" + port + "/" + TARGET + "/1", 512, lunBytes);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void cleanUp() throws IOException {
        Files.deleteIfExists(backingFile);
    }

    private static List<String> concat(List<String> head, String... tail) {
        return java.util.stream.Stream.concat(head.stream(), java.util.Arrays.stream(tail)).toList();
    }
}
