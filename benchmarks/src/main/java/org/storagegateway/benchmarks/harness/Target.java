package org.storagegateway.benchmarks.harness;

import java.util.List;

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

    /** The arguments that name the LUN, or only its first {@code span} bytes, to qemu-img and qemu-io, last. */
    public List<String> qemuImageArguments(long span) {
        return span >= bytes ? List.of("-f", "raw", url)
                : List.of("--image-opts", imageOptions(span));
    }

    /**
     * QEMU's {@code --image-opts} for the first {@code span} bytes of the LUN: its raw driver's {@code size} makes
     * a client that steps through an image (wrapping modulo its size) stay within that region.
     */
    public String imageOptions(long span) {
        return "driver=raw,size=" + span + "," + iscsiOptions("file");
    }

    /**
     * QEMU's options for the iSCSI driver as the node {@code node} of an {@code --image-opts} string; they take the
     * address as separate options, not as a URL.
     */
    public String iscsiOptions(String node) {
        String[] parts = url.substring("iscsi://".length()).split("/");
        if (parts.length != 3) {
            throw new IllegalStateException("not iscsi://PORTAL/TARGET/LUN: " + url);
        }
        return String.join(",", node + ".driver=iscsi", node + ".transport=tcp", node + ".portal=" + parts[0],
                node + ".target=" + parts[1], node + ".lun=" + parts[2]);
    }
}
