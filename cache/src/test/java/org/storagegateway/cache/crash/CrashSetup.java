package org.storagegateway.cache.crash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.VolumeMode;

/**
 * What the crash writer and the test that kills it agree on: the cache's settings, its two volumes and the
 * directories their uploaded chunks go to. The capacity is the least the settings allow, far below the cached volume,
 * so that clean chunks of it are evicted and later fetched back from their objects.
 */
final class CrashSetup {
    static final String STORED = "stored";
    static final String CACHED = "cached";
    static final int CHUNK = CacheSettings.DEFAULT_CHUNK_SIZE;
    static final long STORED_SIZE = 64L << 20;
    static final long CACHED_SIZE = 32L << 20;
    static final long UPLOAD_BUFFER_BYTES = 6L << 20;

    private CrashSetup() {
    }

    /** A volume of the crash test, with the object store its uploads go to (a cached volume also reads it). */
    record Volume(String name, CachedVolume device, ObjectDirectory objects) {
        boolean pinned() {
            return device.mode() == VolumeMode.STORED;
        }
    }

    static CacheSettings settings(Path cacheDirectory) {
        return CacheSettings.of(cacheDirectory, UPLOAD_BUFFER_BYTES + 2L * CHUNK, UPLOAD_BUFFER_BYTES)
                .withMemory(8L << 20, 8L << 20);
    }

    /** The stored volume and the cached one, created on first use. */
    static List<Volume> openVolumes(BlockCache cache, Path objectsRoot) throws IOException {
        ObjectDirectory storedObjects = ObjectDirectory.open(objectsRoot.resolve(STORED), CHUNK);
        ObjectDirectory cachedObjects = ObjectDirectory.open(objectsRoot.resolve(CACHED), CHUNK);
        return List.of(
                new Volume(STORED, cache.openVolume(STORED, STORED_SIZE, VolumeMode.STORED, null), storedObjects),
                new Volume(CACHED, cache.openVolume(CACHED, CACHED_SIZE, VolumeMode.CACHED, cachedObjects),
                        cachedObjects));
    }
}
