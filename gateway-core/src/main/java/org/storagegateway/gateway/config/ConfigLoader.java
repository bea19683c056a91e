package org.storagegateway.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.storagegateway.cache.CacheSettings;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.ScheduleSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.iscsi.target.ChapCredentials;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetDefinition;
import org.storagegateway.scsi.sbc.BlockGeometry;

/**
 * Reads a YAML configuration and validates all of it at once, so that a user sees every mistake in one go, each with
 * its place ({@code targets[1].luns[0].size: ...}).
 */
public final class ConfigLoader {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 3260;
    public static final long DEFAULT_MAX_TRANSFER = 64L << 20;
    /** AWS Storage Gateway's cached-volume limit, which this appliance keeps. */
    public static final long MAX_DISK_BYTES = 32L << 40;
    private static final int MAX_LUN = 16383;
    public static final long DEFAULT_CACHE_CAPACITY = 16L << 30;

    /** The cache a configuration without a {@code cache} section gets. */
    public static CacheSettings defaultCache(Path dataDirectory) {
        return CacheSettings.of(dataDirectory.resolve("cache"), DEFAULT_CACHE_CAPACITY, DEFAULT_CACHE_CAPACITY / 4);
    }

    private final ObjectMapper mapper = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Loads a file; a relative data directory resolves against the working directory, as on a command line. */
    public ApplianceSettings load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString(), Path.of("").toAbsolutePath());
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
    }

    /** Parses a configuration; {@code source} names it in messages, {@code base} anchors a relative data directory. */
    public ApplianceSettings parse(InputStream in, String source, Path base) {
        GatewayConfig raw;
        try {
            raw = mapper.readValue(in, GatewayConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(e.getOriginalMessage() + locationOf(e)));
        } catch (IOException e) {
            throw new ConfigException(source, List.of("cannot read: " + e.getMessage()));
        }
        if (raw == null) {
            throw new ConfigException(source, List.of("the file is empty"));
        }
        return validate(raw, source, base);
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private ApplianceSettings validate(GatewayConfig raw, String source, Path base) {
        List<String> problems = new ArrayList<>();
        Path dataDirectory = base.resolve(raw.dataDirectory() == null ? "data" : raw.dataDirectory()).normalize();

        GatewayConfig.Portal portal = raw.portal() == null
                ? new GatewayConfig.Portal(null, null, null, null) : raw.portal();
        String bind = portal.bind() == null ? DEFAULT_BIND : portal.bind();
        int port = portal.port() == null ? DEFAULT_PORT : portal.port();
        if (port < 0 || port > 65535) {
            problems.add("portal.port: must be 0-65535, was " + port);
        }
        List<String> advertise = portal.advertise() == null ? List.of() : portal.advertise();
        for (int i = 0; i < advertise.size(); i++) {
            if (!advertise.get(i).matches("(\\[[0-9a-fA-F:.]+]|[^:\\s\\[\\]]+):\\d{1,5}")) {
                problems.add("portal.advertise[" + i + "]: must be host:port, was \"" + advertise.get(i) + "\"");
            }
        }
        long maxTransfer = size(portal.maxTransferSize(), DEFAULT_MAX_TRANSFER, "portal.maxTransferSize", problems);
        if (maxTransfer < 64 * 1024 || maxTransfer > 256L << 20) {
            problems.add("portal.maxTransferSize: must be 64KiB-256MiB, was " + maxTransfer);
        }

        CacheSettings cache = cache(raw.cache(), dataDirectory, problems);
        ObjectStoreSettings objectStore = ObjectStoreConfig.validate(raw.objectStore(), dataDirectory, problems);
        ManagementSettings management = ManagementConfig.validate(raw.api(), raw.metrics(), problems);

        List<TargetSettings> targets = new ArrayList<>();
        List<GatewayConfig.Target> rawTargets = raw.targets() == null ? List.of() : raw.targets();
        if (rawTargets.isEmpty()) {
            problems.add("targets: at least one target is needed");
        }
        Set<String> names = new HashSet<>();
        for (int t = 0; t < rawTargets.size(); t++) {
            TargetSettings target = target(rawTargets.get(t), "targets[" + t + "]", maxTransfer, problems);
            if (target != null && !names.add(target.name().toLowerCase(Locale.ROOT))) {
                problems.add("targets[" + t + "].name: " + target.name() + " is used twice");
            }
            if (target != null) {
                targets.add(target);
            }
        }
        Set<String> volumes = new HashSet<>();
        for (TargetSettings target : targets) {
            for (DiskSettings disk : target.luns()) {
                if (disk != null && disk.volume() != null && !volumes.add(disk.volume())) {
                    problems.add(target.name() + " LUN " + disk.lun() + ": volume " + disk.volume()
                            + " is used by two LUNs");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new ApplianceSettings(dataDirectory, bind, port, advertise, maxTransfer, cache, objectStore,
                management, targets);
    }

    private static CacheSettings cache(GatewayConfig.Cache raw, Path dataDirectory, List<String> problems) {
        CacheSettings defaults = defaultCache(dataDirectory);
        if (raw == null) {
            return defaults;
        }
        Path directory = raw.directory() == null ? defaults.directory() : dataDirectory.resolve(raw.directory());
        long capacity = size(raw.capacity(), defaults.capacityBytes(), "cache.capacity", problems);
        long uploadBuffer = size(raw.uploadBuffer(), capacity / 4, "cache.uploadBuffer", problems);
        long chunkSize = size(raw.chunkSize(), defaults.chunkSize(), "cache.chunkSize", problems);
        long pageSize = size(raw.pageSize(), defaults.pageSize(), "cache.pageSize", problems);
        long memory = size(raw.memory(), defaults.hotTierBytes(), "cache.memory", problems);
        long blockCache = size(raw.blockCache(), defaults.blockCacheBytes(), "cache.blockCache", problems);
        if (chunkSize > Integer.MAX_VALUE || pageSize > Integer.MAX_VALUE) {
            problems.add("cache: chunkSize and pageSize must be at most 64MiB");
            return defaults;
        }
        try {
            return new CacheSettings(directory, capacity, uploadBuffer, (int) chunkSize, (int) pageSize, memory,
                    blockCache);
        } catch (IllegalArgumentException e) {
            problems.add("cache: " + e.getMessage());
            return defaults;
        }
    }

    private TargetSettings target(GatewayConfig.Target raw, String at, long maxTransfer, List<String> problems) {
        int before = problems.size();
        if (raw == null) {
            problems.add(at + ": empty target");
            return null;
        }
        if (!TargetDefinition.isValidName(raw.name())) {
            problems.add(at + ".name: not a valid iSCSI name (e.g. iqn.2026-11.org.example:disk1), was \""
                    + raw.name() + "\"");
        }
        Set<String> initiators = new LinkedHashSet<>(raw.allowedInitiators() == null ? List.of()
                : raw.allowedInitiators());
        ChapPolicy chap = chap(raw.chap(), at + ".chap", problems);
        List<DiskSettings> luns = new ArrayList<>();
        List<GatewayConfig.Lun> rawLuns = raw.luns() == null ? List.of() : raw.luns();
        if (rawLuns.isEmpty()) {
            problems.add(at + ".luns: at least one LUN is needed");
        }
        Set<Integer> numbers = new HashSet<>();
        for (int l = 0; l < rawLuns.size(); l++) {
            DiskSettings disk = disk(rawLuns.get(l), l, raw.name(), at + ".luns[" + l + "]", maxTransfer, problems);
            if (disk != null && !numbers.add(disk.lun())) {
                problems.add(at + ".luns[" + l + "].lun: LUN " + disk.lun() + " is used twice");
            }
            luns.add(disk);
        }
        return problems.size() > before ? null
                : new TargetSettings(raw.name(), raw.alias(), initiators, chap, luns);
    }

    private static ChapPolicy chap(GatewayConfig.Chap raw, String at, List<String> problems) {
        if (raw == null) {
            return ChapPolicy.NONE;
        }
        try {
            ChapCredentials initiator = new ChapCredentials(raw.user(), raw.secret());
            ChapCredentials target = raw.mutualUser() == null && raw.mutualSecret() == null ? null
                    : new ChapCredentials(raw.mutualUser(), raw.mutualSecret());
            return new ChapPolicy(initiator, target);
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(at + ": " + e.getMessage());
            return null;
        }
    }

    private static DiskSettings disk(GatewayConfig.Lun raw, int index, String targetName, String at,
                                     long maxTransfer, List<String> problems) {
        if (raw == null) {
            problems.add(at + ": empty LUN");
            return null;
        }
        int before = problems.size();
        int lun = raw.lun() == null ? index : raw.lun();
        if (lun < 0 || lun > MAX_LUN) {
            problems.add(at + ".lun: must be 0-" + MAX_LUN + ", was " + lun);
        }
        int blockSize = raw.blockSize() == null ? 512 : raw.blockSize();
        if (blockSize != 512 && blockSize != 4096) {
            problems.add(at + ".blockSize: must be 512 or 4096, was " + blockSize);
        }
        int physicalBlockSize = physicalBlockSize(raw, blockSize, maxTransfer, at, problems);
        long sizeBytes = size(raw.size(), -1, at + ".size", problems);
        if (raw.size() == null) {
            problems.add(at + ".size: required (e.g. 1GiB)");
        } else if (sizeBytes >= 0 && (sizeBytes < physicalBlockSize || sizeBytes % physicalBlockSize != 0
                || sizeBytes > MAX_DISK_BYTES)) {
            problems.add(at + ".size: must be a multiple of the " + (physicalBlockSize == blockSize ? "" : "physical ")
                    + "block size (" + physicalBlockSize + ") up to 32TiB, was " + sizeBytes);
        }
        Backing backing;
        try {
            String name = raw.backing() == null ? "cache" : raw.backing().toLowerCase(Locale.ROOT);
            // "stored" and "cache" both name a stored volume: "cache" predates cached volumes.
            backing = Backing.valueOf((name.equals("stored") ? "cache" : name).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(at + ".backing: must be stored (or cache), cached, memory or file, was \""
                    + raw.backing() + "\"");
            backing = null;
        }
        Path file = null;
        if (backing == Backing.FILE) {
            if (raw.file() == null || raw.file().isBlank()) {
                problems.add(at + ".file: required for file backing");
            } else {
                file = Path.of(raw.file());
                if (file.isAbsolute() || file.normalize().startsWith("..")) {
                    problems.add(at + ".file: must be a relative path inside the data directory, was " + raw.file());
                }
            }
        } else if (raw.file() != null) {
            problems.add(at + ".file: only meaningful with backing: file");
        }
        String volume = null;
        if (backing != null && backing.inCache()) {
            volume = raw.volume() == null ? targetName + "/lun" + lun : raw.volume();
            if (volume.isBlank() || volume.length() > 255) {
                problems.add(at + ".volume: must be 1-255 characters, was \"" + raw.volume() + "\"");
            }
        } else if (raw.volume() != null) {
            problems.add(at + ".volume: only meaningful with backing: stored or cached");
        }
        boolean readOnly = raw.readOnly() != null && raw.readOnly();
        ScheduleSettings schedule = null;
        if (raw.snapshotSchedule() != null && backing != null && !backing.inCache()) {
            problems.add(at + ".snapshotSchedule: only meaningful with backing: stored or cached");
        } else if (raw.snapshotSchedule() != null) {
            schedule = schedule(raw.snapshotSchedule(), at + ".snapshotSchedule", problems);
        }
        return problems.size() > before ? null : new DiskSettings(lun, sizeBytes, blockSize, physicalBlockSize,
                backing, file, volume, readOnly, schedule);
    }

    private static ScheduleSettings schedule(GatewayConfig.SnapshotSchedule raw, String at, List<String> problems) {
        try {
            return new ScheduleSettings(raw.startHour() == null ? 0 : raw.startHour(),
                    raw.recurrenceHours() == null ? 24 : raw.recurrenceHours(), raw.retain());
        } catch (IllegalArgumentException e) {
            problems.add(at + "." + e.getMessage());
            return null;
        }
    }

    /**
     * physicalBlockSize: the block size by default; else a power-of-two multiple of it whose exponent fits READ
     * CAPACITY(16)'s 4-bit field (SBC-3 §5.16), and no larger than one command's transfer, which must be able to
     * write a physical block whole. Falls back to the block size after a problem, so checks that use it go on.
     */
    private static int physicalBlockSize(GatewayConfig.Lun raw, int blockSize, long maxTransfer, String at,
                                         List<String> problems) {
        if (raw.physicalBlockSize() == null || (blockSize != 512 && blockSize != 4096)) {
            return blockSize;
        }
        int physical = raw.physicalBlockSize();
        try {
            new BlockGeometry(blockSize, physical);
        } catch (IllegalArgumentException e) {
            problems.add(at + ".physicalBlockSize: " + e.getMessage());
            return blockSize;
        }
        if (physical > maxTransfer) {
            problems.add(at + ".physicalBlockSize: must not exceed portal.maxTransferSize (" + maxTransfer
                    + "), was " + physical);
            return blockSize;
        }
        return physical;
    }

    static long size(String text, long fallback, String at, List<String> problems) {
        if (text == null) {
            return fallback;
        }
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
            return fallback;
        }
    }
}
