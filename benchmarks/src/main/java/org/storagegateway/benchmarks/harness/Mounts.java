package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The file system a directory is on, from /proc/mounts (the longest mount point that holds it): for the results
 * header, and so that a disk scenario refuses a directory in memory (tmpfs), which would measure no disk at all.
 *
 * @param type   the file system type ({@code ext4}, {@code tmpfs}, ...)
 * @param device what is mounted ({@code /dev/vda}, {@code tmpfs}, ...)
 */
record Mounts(String type, String device) {
    private static final Set<String> IN_MEMORY = Set.of("tmpfs", "ramfs", "devtmpfs");

    /** The file system {@code directory} (which must exist) is on. */
    static Mounts of(Path directory) throws IOException {
        return of(directory.toRealPath(), Files.readAllLines(Path.of("/proc/mounts")));
    }

    static Mounts of(Path directory, List<String> mounts) {
        Mounts found = null;
        int longest = -1;
        for (String line : mounts) {
            String[] fields = line.split(" ");
            // /proc/mounts escapes a space in a mount point as \040 (fstab(5)).
            Path mountPoint = Path.of(fields[1].replace("\\040", " "));
            if (directory.startsWith(mountPoint) && mountPoint.getNameCount() >= longest) {
                longest = mountPoint.getNameCount();
                found = new Mounts(fields[2], fields[0]);
            }
        }
        if (found == null) {
            throw new IllegalStateException("no mount in /proc/mounts holds " + directory);
        }
        return found;
    }

    /** Whether its files live in memory, not on a disk. */
    boolean inMemory() {
        return IN_MEMORY.contains(type);
    }

    @Override
    public String toString() {
        return type + " on " + device;
    }
}
