package org.storagegateway.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.scsi.block.BlockDevice;
import org.storagegateway.scsi.block.BlockDeviceContractTest;

/** The block-device contract, run against a cached volume whose object store holds nothing yet. */
class CachedModeContractTest extends BlockDeviceContractTest {
    @TempDir
    Path directory;
    private final List<BlockCache> caches = new ArrayList<>();

    @Override
    protected BlockDevice create(long size) throws IOException {
        BlockCache cache = BlockCache.open(CacheSettings.of(directory.resolve("cache-" + caches.size()),
                256L << 20, 128L << 20));
        caches.add(cache);
        return cache.openVolume("volume", size, VolumeMode.CACHED, (index, remoteRef, chunk) -> {
            throw new AssertionError("nothing was uploaded, so nothing has a remote reference");
        });
    }

    @Override
    protected int allocationUnit() {
        return CacheSettings.DEFAULT_PAGE_SIZE;
    }

    @AfterEach
    void closeCaches() throws IOException {
        for (BlockCache cache : caches) {
            cache.close();
        }
    }
}
