package org.storagegateway.benchmarks.harness;

/**
 * Where a started peer serves its LUN.
 *
 * @param url       the libiscsi/QEMU URL, {@code iscsi://127.0.0.1:PORT/IQN/LUN}
 * @param blockSize the LUN's logical block size in bytes
 * @param bytes     the LUN's capacity
 */
public record Target(String url, int blockSize, long bytes) {
    public Target {
        if (!url.startsWith("iscsi://")) {
            throw new IllegalArgumentException("not an iscsi:// URL: " + url);
        }
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512 or 4096, was " + blockSize);
        }
        if (bytes <= 0 || bytes % blockSize != 0) {
            throw new IllegalArgumentException("capacity must be a positive multiple of the block size, was " + bytes);
        }
    }
}
