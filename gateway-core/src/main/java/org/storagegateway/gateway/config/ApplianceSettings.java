package org.storagegateway.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.storagegateway.cache.CacheSettings;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.snapshot.SnapshotSchedule;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.scsi.sbc.BlockGeometry;

/**
 * A validated configuration with every default filled in: what the appliance runs from.
 *
 * @param dataDirectory    where backing files and the gateway identity live
 * @param bindAddress      the portal's listening address
 * @param port             the portal's TCP port (0 picks a free one)
 * @param advertise        the portal addresses SendTargets reports ({@code host:port}); empty means the bound one
 * @param maxTransferBytes the most data one SCSI command may move
 * @param cache            the local block cache, opened when a disk is backed by it
 * @param objectStore      the S3 bucket volumes and snapshots go to (or the embedded server)
 * @param management       the management API and metrics endpoints
 * @param targets          the targets
 */
public record ApplianceSettings(Path dataDirectory, String bindAddress, int port, List<String> advertise,
                                long maxTransferBytes, CacheSettings cache, ObjectStoreSettings objectStore,
                                ManagementSettings management, List<TargetSettings> targets) {

    public ApplianceSettings {
        advertise = List.copyOf(advertise);
        targets = List.copyOf(targets);
    }

    /** A copy listening elsewhere (the command line overrides the file). */
    public ApplianceSettings withPortal(String newBindAddress, int newPort) {
        return new ApplianceSettings(dataDirectory, newBindAddress, newPort, advertise, maxTransferBytes, cache,
                objectStore, management, targets);
    }

    /** A copy keeping its data elsewhere; a cache inside the old data directory moves along. */
    public ApplianceSettings withDataDirectory(Path newDataDirectory) {
        CacheSettings moved = cache;
        if (cache.directory().startsWith(dataDirectory)) {
            Path relative = dataDirectory.relativize(cache.directory());
            moved = new CacheSettings(newDataDirectory.resolve(relative), cache.capacityBytes(),
                    cache.uploadBufferBytes(), cache.chunkSize(), cache.pageSize(), cache.hotTierBytes(),
                    cache.blockCacheBytes());
        }
        return new ApplianceSettings(newDataDirectory, bindAddress, port, advertise, maxTransferBytes, moved,
                objectStore.movedTo(dataDirectory, newDataDirectory), management, targets);
    }

    /** One target, validated. */
    public record TargetSettings(String name, String alias, Set<String> allowedInitiators, ChapPolicy chap,
                                 List<DiskSettings> luns) {
        public TargetSettings {
            allowedInitiators = Set.copyOf(allowedInitiators);
            luns = List.copyOf(luns);
        }
    }

    /** Where a disk's blocks live. */
    public enum Backing {
        /** In memory, sparse: fast, gone when the process ends. */
        MEMORY,
        /** A sparse file under the data directory. */
        FILE,
        /** A stored volume in the local block cache (RocksDB): all its data local, uploaded for snapshots. */
        CACHE,
        /** A cached volume: its data in the object store, its hot chunks in the local block cache. */
        CACHED;

        /** Whether the disk is a volume of the block cache (and uploads to the object store). */
        public boolean inCache() {
            return this == CACHE || this == CACHED;
        }
    }

    /**
     * One disk logical unit, validated.
     *
     * @param lun               the LUN number
     * @param sizeBytes         the capacity, a whole number of physical blocks
     * @param blockSize         the logical block size, 512 or 4096
     * @param physicalBlockSize the physical block size: {@code blockSize}, or a power-of-two multiple of it (512e)
     * @param backing           where the blocks live
     * @param file              the backing file, relative to the data directory, for {@link Backing#FILE}
     * @param volume            the volume's name in the cache, for {@link Backing#CACHE} and {@link Backing#CACHED}
     * @param readOnly          whether writes are refused
     * @param snapshotSchedule  the cache volume's snapshot schedule when none is stored yet; null for none
     */
    public record DiskSettings(int lun, long sizeBytes, int blockSize, int physicalBlockSize, Backing backing,
                               Path file, String volume, boolean readOnly, ScheduleSettings snapshotSchedule) {
        public DiskSettings {
            new BlockGeometry(blockSize, physicalBlockSize); // refuses sizes no disk can have
        }

        /** The disk's logical and physical block sizes. */
        public BlockGeometry geometry() {
            return new BlockGeometry(blockSize, physicalBlockSize);
        }

        /** A disk without a snapshot schedule. */
        public DiskSettings(int lun, long sizeBytes, int blockSize, int physicalBlockSize, Backing backing,
                            Path file, String volume, boolean readOnly) {
            this(lun, sizeBytes, blockSize, physicalBlockSize, backing, file, volume, readOnly, null);
        }

        /** A disk with one logical block per physical block. */
        public DiskSettings(int lun, long sizeBytes, int blockSize, Backing backing, Path file, String volume,
                            boolean readOnly) {
            this(lun, sizeBytes, blockSize, blockSize, backing, file, volume, readOnly);
        }
    }

    /**
     * A cache volume's snapshot schedule from the configuration (hours in the gateway's time zone); it seeds the
     * stored schedule only when the volume has none, so a schedule changed through the API stays changed.
     */
    public record ScheduleSettings(int startHour, int recurrenceHours, Integer retain) {
        public ScheduleSettings {
            SnapshotSchedule.requireHour("startHour", startHour);
            SnapshotSchedule.requireRecurrence("recurrenceHours", recurrenceHours);
            SnapshotSchedule.requireRetain("retain", retain);
        }
    }
}
