package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.ScheduleSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.snapshot.SnapshotSchedule;
import org.storagegateway.gateway.snapshot.SnapshotScheduler;
import org.storagegateway.iscsi.target.ChapPolicy;

/** A disk's configured snapshot schedule seeds the stored one on the first start, and only then. */
class ScheduleSeedTest {
    private static final String TARGET = "iqn.2026-11.org.example:scheduled";

    @TempDir
    Path directory;

    @Test
    void theConfigurationSeedsAScheduleTheApiThenOwns() throws IOException {
        ApplianceSettings plain = TestAppliances.singleDisk(directory, TARGET, 16L << 20, Backing.CACHE);
        DiskSettings disk = plain.targets().get(0).luns().get(0);
        DiskSettings scheduled = new DiskSettings(disk.lun(), disk.sizeBytes(), disk.blockSize(),
                disk.physicalBlockSize(), disk.backing(), disk.file(), disk.volume(), disk.readOnly(),
                new ScheduleSettings(3, 12, 7));
        ApplianceSettings settings = new ApplianceSettings(plain.dataDirectory(), plain.bindAddress(), plain.port(),
                plain.advertise(), plain.maxTransferBytes(), plain.cache(), plain.objectStore(), plain.management(),
                List.of(new TargetSettings(TARGET, null, Set.of(), ChapPolicy.NONE, List.of(scheduled))));
        String volumeId = GatewayIdentity.loadOrCreate(directory).volumeId(disk.volume());

        SnapshotSchedule changed = new SnapshotSchedule(volumeId, 1, 24, "nightly", Map.of("team", "a"), 30);
        try (Appliance appliance = Appliance.start(settings)) {
            SnapshotScheduler schedules = appliance.volumes().orElseThrow().schedules();
            assertEquals(Optional.of(new SnapshotSchedule(volumeId, 3, 12, null, Map.of(), 7)),
                    schedules.get(volumeId));
            schedules.put(changed);
        }
        try (Appliance appliance = Appliance.start(settings)) {
            assertEquals(Optional.of(changed), appliance.volumes().orElseThrow().schedules().get(volumeId),
                    "a stored schedule is not replaced by the configuration's");
        }
    }
}
