package org.storagegateway.gateway;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.config.ConfigLoader;
import org.storagegateway.gateway.config.ManagementSettings;
import org.storagegateway.iscsi.target.ChapPolicy;

/** Appliances for tests: one target with one disk, on an ephemeral loopback port. */
final class TestAppliances {
    private TestAppliances() {
    }

    /** Where tests leave logs worth reading after a run (the module's build directory). */
    static Path reportDirectory(String name) {
        return Path.of(System.getProperty("buildDirectory", "target"), name);
    }

    static ApplianceSettings singleDisk(Path dataDirectory, String targetName, long sizeBytes, Backing backing) {
        DiskSettings disk = new DiskSettings(0, sizeBytes, 512, backing,
                backing == Backing.FILE ? Path.of("disk0.img") : null,
                backing.inCache() ? "disk0" : null, false);
        TargetSettings target = new TargetSettings(targetName, null, Set.of(), ChapPolicy.NONE, List.of(disk));
        return new ApplianceSettings(dataDirectory, "127.0.0.1", 0, List.of(), ConfigLoader.DEFAULT_MAX_TRANSFER,
                ConfigLoader.defaultCache(dataDirectory), embeddedStore(dataDirectory), ManagementSettings.disabled(),
                List.of(target));
    }

    /** The embedded S3 server under the data directory, on a free port. */
    static ObjectStoreSettings embeddedStore(Path dataDirectory) {
        return ObjectStoreSettings.embedded(dataDirectory, 0, null);
    }

    /** The same, with the management API and metrics endpoint on ephemeral ports, accepting one key pair. */
    static ApplianceSettings managed(ApplianceSettings settings, String accessKeyId, String secret) {
        ManagementSettings management = new ManagementSettings("127.0.0.1", 0, "127.0.0.1", 0,
                ManagementSettings.DEFAULT_REGION, "test-gateway", Map.of(accessKeyId, secret));
        return new ApplianceSettings(settings.dataDirectory(), settings.bindAddress(), settings.port(),
                settings.advertise(), settings.maxTransferBytes(), settings.cache(), settings.objectStore(), management,
                settings.targets());
    }
}
