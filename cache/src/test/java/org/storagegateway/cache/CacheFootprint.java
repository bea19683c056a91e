package org.storagegateway.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a cache occupies, measured from outside: its directory's files by kind, and the JVM's heap. */
record CacheFootprint(long sstBytes, long walBytes, long otherBytes) {
    private static final int GC_ROUNDS = 3;

    /** Sums the files in {@code directory}; a file RocksDB deletes during the walk counts as gone. */
    static CacheFootprint of(Path directory) {
        long sst = 0;
        long wal = 0;
        long other = 0;
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            long size;
            try {
                size = Files.size(file);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String name = file.getFileName().toString();
            if (name.endsWith(".sst")) {
                sst += size;
            } else if (name.endsWith(".log")) { // write-ahead logs; the info log is "LOG"
                wal += size;
            } else {
                other += size;
            }
        }
        return new CacheFootprint(sst, wal, other);
    }

    long totalBytes() {
        return sstBytes + walBytes + otherBytes;
    }

    @Override
    public String toString() {
        return String.format("%.1f MiB (SST %.1f, WAL %.1f, other %.1f)", mib(totalBytes()), mib(sstBytes),
                mib(walBytes), mib(otherBytes));
    }

    /** Heap in use after a few full collections, so that only reachable objects count. */
    static long usedHeapAfterGc() {
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
