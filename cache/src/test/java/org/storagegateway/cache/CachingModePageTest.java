package org.storagegateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.scsi.device.DeviceIdentification;
import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.sbc.DiskUnit;

/** A disk on the cache tells initiators the truth: its write cache is volatile until synced (WCE=1). */
class CachingModePageTest {
    private static final int CACHING_PAGE = 0x08;
    private static final int WCE = 0x04;

    @Test
    void theCachingPageReportsAWriteBackCacheThatInitiatorsMayTurnOff(@TempDir Path directory) throws IOException {
        try (BlockCache cache = BlockCache.open(CacheSettings.of(directory, 64L << 20, 16L << 20))) {
            CachedVolume volume = cache.openVolume("v", 8L << 20, VolumeMode.STORED, null);
            byte[] naa = new byte[16];
            naa[0] = 0x60;
            DiskUnit disk = new DiskUnit(volume, 512, new DeviceIdentification("cache-0001", naa), "SGW", "Volume",
                    "0001", false);
            ModePage caching = disk.modePages().stream().filter(page -> page.pageCode() == CACHING_PAGE)
                    .findFirst().orElseThrow();
            assertEquals(WCE, caching.current()[2] & WCE, "writes are acknowledged before they are synced");
            assertEquals(WCE, caching.changeable()[2] & WCE, "WCE=0 makes every write synced");
        }
    }
}
