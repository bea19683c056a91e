package org.storagegateway.benchmarks.cache.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a volume's pages hold, as a JMH parameter, from almost nothing left after compression to nothing compressible.
 * Every kind yields the same bytes in every run ({@link #CLASS_FILES}: for a given JDK), so ratios and speeds compare
 * across runs and page sizes.
 */
public enum DataKind {
    /** 512-byte sectors that hold a short header naming themselves and zeros after it: a freshly formatted disk. */
    MOSTLY_ZEROS {
        @Override
        public byte[] bytes(int length) {
            byte[] bytes = new byte[length];
            for (int sector = 0; sector * 512 < length; sector++) {
                byte[] header = String.format("sector %09d of volume bench-0001%n", sector)
                        .getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(header, 0, bytes, sector * 512, Math.min(header.length, length - sector * 512));
            }
            return bytes;
        }
    },
    /** Generated service log lines: timestamps, levels, threads, classes, ids and numbers from a seeded random. */
    LOG_TEXT {
        @Override
        public byte[] bytes(int length) {
            String[] levels = {"INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"};
            String[] loggers = {"o.s.g.cache.BlockCache", "o.s.g.iscsi.session.Session", "o.s.g.cloud.Uploader",
                "o.s.g.vtl.TapeLibrary", "o.s.g.scsi.sbc.DiskUnit", "o.s.g.cache.policy.UploadBuffer"};
            String[] messages = {"evicted chunk %d of volume %d in %d us", "login from iqn.1994-05.com.redhat:%x",
                "uploaded chunk %d (%d bytes) as %x", "tape %d moved to slot %d after %d ms",
                "READ(10) lba %d blocks %d took %d us", "upload buffer at %d%%, throttling writes for %d us"};
            Random random = new Random(length);
            StringBuilder text = new StringBuilder(length + 256);
            long millis = 1_795_000_000_000L;
            while (text.length() < length) {
                millis += random.nextInt(50);
                int kind = random.nextInt(messages.length);
                text.append(Instant.ofEpochMilli(millis)).append(' ')
                        .append(levels[random.nextInt(levels.length)]).append(" [worker-").append(random.nextInt(16))
                        .append("] ").append(loggers[kind]).append(" - ")
                        .append(String.format(messages[kind], random.nextInt(1 << 20), random.nextInt(4096),
                                random.nextLong() >>> 16))
                        .append('\n');
            }
            return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), length);
        }
    },
    /** The JDK's own class files, concatenated in path order (again from the start if more is asked): binaries. */
    CLASS_FILES {
        @Override
        public byte[] bytes(int length) {
            byte[] bytes = new byte[length];
            FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
            List<Path> classes;
            try (Stream<Path> paths = Files.walk(jrt.getPath("/modules/java.base"))) {
                classes = paths.filter(path -> path.toString().endsWith(".class")).sorted()
                        .collect(Collectors.toList());
                int filled = 0;
                for (int i = 0; filled < length; i = (i + 1) % classes.size()) {
                    byte[] content = Files.readAllBytes(classes.get(i));
                    int n = Math.min(content.length, length - filled);
                    System.arraycopy(content, 0, bytes, filled, n);
                    filled += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the JDK's class files", e);
            }
            return bytes;
        }
    },
    /** Seeded random bytes: encrypted or already compressed files, which LZ4 cannot shrink. */
    RANDOM {
        @Override
        public byte[] bytes(int length) {
            byte[] bytes = new byte[length];
            new Random(length).nextBytes(bytes);
            return bytes;
        }
    };

    /** {@code length} bytes of this kind, the same on every call. */
    public abstract byte[] bytes(int length);
}
