package org.storagegateway.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;

class ConfigLoaderTest {
    private static final Path BASE = Path.of("/srv/gateway");

    private static ApplianceSettings parse(String yaml) {
        return new ConfigLoader().parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml",
                BASE);
    }

    /** A configuration of one target with these LUNs (a YAML list). */
    private static String oneTarget(String luns) {
        return "targets:\n  - name: iqn.2026-11.org.example:disk1\n    luns:\n"
                + luns.lines().map(line -> "      " + line + "\n").collect(java.util.stream.Collectors.joining());
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void fillsDefaults() {
        ApplianceSettings settings = parse("""
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - size: 1GiB
                """);
        assertEquals(BASE.resolve("data"), settings.dataDirectory());
        assertEquals("127.0.0.1", settings.bindAddress());
        assertEquals(3260, settings.port());
        assertEquals(64L << 20, settings.maxTransferBytes());
        ApplianceSettings.DiskSettings disk = settings.targets().get(0).luns().get(0);
        assertEquals(0, disk.lun());
        assertEquals(1L << 30, disk.sizeBytes());
        assertEquals(512, disk.blockSize());
        assertEquals(512, disk.physicalBlockSize(), "one logical block per physical block unless asked");
        assertEquals(Backing.CACHE, disk.backing(), "disks are stored volumes in the cache unless asked");
        assertEquals("iqn.2026-11.org.example:disk1/lun0", disk.volume());
        assertEquals(BASE.resolve("data/cache"), settings.cache().directory());
        assertEquals(ConfigLoader.DEFAULT_CACHE_CAPACITY, settings.cache().capacityBytes());
        assertEquals(1 << 20, settings.cache().chunkSize());
        assertEquals(false, settings.targets().get(0).chap().required());
    }

    @Test
    void readsTheCacheSection() {
        ApplianceSettings settings = parse("""
                cache: {directory: /srv/cache, capacity: 2GiB, uploadBuffer: 512MiB, chunkSize: 256KiB,
                        pageSize: 8KiB, memory: 32MiB, blockCache: 16MiB}
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - {size: 1GiB, volume: finance}
                """);
        assertEquals(Path.of("/srv/cache"), settings.cache().directory());
        assertEquals(2L << 30, settings.cache().capacityBytes());
        assertEquals(512L << 20, settings.cache().uploadBufferBytes());
        assertEquals(256 << 10, settings.cache().chunkSize());
        assertEquals(8 << 10, settings.cache().pageSize());
        assertEquals(32L << 20, settings.cache().hotTierBytes());
        assertEquals(16L << 20, settings.cache().blockCacheBytes());
        assertEquals("finance", settings.targets().get(0).luns().get(0).volume());
    }

    @Test
    void storedAndCachedNameTheTwoKindsOfCacheVolume() {
        ApplianceSettings settings = parse("""
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - {lun: 0, size: 1GiB, backing: stored}
                      - {lun: 1, size: 1GiB, backing: cached, volume: hot}
                      - {lun: 2, size: 1GiB, backing: cache}
                """);
        List<ApplianceSettings.DiskSettings> luns = settings.targets().get(0).luns();
        assertEquals(Backing.CACHE, luns.get(0).backing());
        assertEquals(Backing.CACHED, luns.get(1).backing());
        assertEquals("hot", luns.get(1).volume());
        assertEquals(Backing.CACHE, luns.get(2).backing(), "cache, the older name, is a stored volume");
        assertTrue(problems("""
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - {size: 1GiB, backing: tape}
                """).get(0).contains("must be stored (or cache), cached, memory or file"));
    }

    @Test
    void readsTheObjectStoreSectionAndRefusesBadOnes() {
        String targets = """
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - size: 1GiB
                """;
        ObjectStoreSettings embedded = parse(targets).objectStore();
        assertEquals(BASE.resolve("data/s3"), embedded.embedded().directory(), "no endpoint: the embedded server");
        assertEquals(ObjectStoreSettings.DEFAULT_EMBEDDED_PORT, embedded.embedded().port());
        assertEquals("storage-gateway", embedded.bucket());

        ObjectStoreSettings minio = parse("""
                objectStore:
                  endpoint: http://minio.example:9000
                  bucket: backups
                  prefix: gateway1
                  accessKeyId: AKIAEXAMPLE
                  secretAccessKey: example-secret
                  uploadRate: 50MiB
                  encryption: {keys: {k1: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=}, activeKey: k1}
                """ + targets).objectStore();
        assertEquals(null, minio.embedded());
        assertEquals("gateway1/", minio.prefix());
        assertEquals(50L << 20, minio.uploadRate());
        assertEquals("k1", minio.activeKeyId());
        assertEquals(32, minio.encryptionKeys().get("k1").length);

        List<String> problems = problems("""
                objectStore:
                  endpoint: ftp://nowhere
                  bucket: Not_A_Bucket
                  accessKeyId: AKIAEXAMPLE
                  encryption: {keys: {short: AAEC}, activeKey: other}
                """ + targets);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("objectStore.endpoint:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("objectStore.bucket:")), problems.toString());
        assertTrue(problems.contains("objectStore: accessKeyId and secretAccessKey go together"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("objectStore.encryption.keys.short:")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("objectStore.encryption.activeKey:")),
                problems.toString());
    }

    @Test
    void readsTheManagementSectionsAndRefusesBadOnes() {
        String targets = """
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - size: 1GiB
                """;
        ManagementSettings defaults = parse(targets).management();
        assertEquals(ManagementSettings.DEFAULT_API_PORT, defaults.apiPort());
        assertEquals(ManagementSettings.DEFAULT_METRICS_PORT, defaults.metricsPort());
        assertEquals("127.0.0.1", defaults.apiBind());
        assertEquals(Map.of(), defaults.accessKeys(), "no keys configured: the appliance makes its own");

        ManagementSettings set = parse("""
                api: {bind: 0.0.0.0, port: 8443, region: eu-west-1, gatewayName: branch-office,
                      accessKeys: [{accessKeyId: AKIAEXAMPLE0000001, secretAccessKey: verysecretverysecret}]}
                metrics: {enabled: false}
                """ + targets).management();
        assertEquals(8443, set.apiPort());
        assertEquals("eu-west-1", set.region());
        assertEquals(Map.of("AKIAEXAMPLE0000001", "verysecretverysecret"), set.accessKeys());
        assertEquals(false, set.metricsEnabled());

        List<String> problems = problems("""
                api: {port: 70000, region: Mars, accessKeys: [{accessKeyId: lower, secretAccessKey: x}]}
                """ + targets);
        assertTrue(problems.contains("api.port: must be 0-65535, was 70000"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("api.region:")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("api.accessKeys[0].accessKeyId:")),
                problems.toString());
    }

    @Test
    void refusesABadCacheAndSharedVolumes() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                cache: {capacity: 1GiB, uploadBuffer: 2GiB, chunkSize: 3KiB}
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - {lun: 0, size: 1GiB, volume: shared}
                      - {lun: 1, size: 1GiB, volume: shared}
                  - name: iqn.2026-11.org.example:disk2
                    luns:
                      - {lun: 2, size: 1GiB, backing: memory, volume: nope}
                """));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("cache: "), all);
        assertTrue(all.contains("volume shared is used by two LUNs"), all);
        assertTrue(all.contains("targets[1].luns[0].volume: only meaningful with backing: stored or cached"), all);
    }

    @Test
    void readsEverything() {
        ApplianceSettings settings = parse("""
                dataDirectory: /var/lib/gateway
                portal: {bind: 0.0.0.0, port: 3261, advertise: ["10.1.2.3:3261"], maxTransferSize: 8MiB}
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    alias: disk1
                    allowedInitiators: [iqn.1993-08.org.debian:01:abc]
                    chap: {user: alice, secret: twelve-bytes!, mutualUser: target, mutualSecret: other-secret12}
                    luns:
                      - {lun: 3, size: 4GiB, blockSize: 4096, backing: file, file: disk1.img, readOnly: true}
                """);
        assertEquals(Path.of("/var/lib/gateway"), settings.dataDirectory());
        assertEquals(3261, settings.port());
        assertEquals(List.of("10.1.2.3:3261"), settings.advertise());
        assertEquals(8L << 20, settings.maxTransferBytes());
        ApplianceSettings.TargetSettings target = settings.targets().get(0);
        assertTrue(target.chap().mutual());
        assertEquals("alice", target.chap().initiator().user());
        ApplianceSettings.DiskSettings disk = target.luns().get(0);
        assertEquals(3, disk.lun());
        assertEquals(4096, disk.blockSize());
        assertEquals(Path.of("disk1.img"), disk.file());
        assertTrue(disk.readOnly());
    }

    @Test
    void reportsEveryProblemWithItsPlace() {
        List<String> problems = problems("""
                portal: {port: 70000}
                targets:
                  - name: not-an-iqn
                    chap: {user: alice, secret: short}
                    luns:
                      - {size: 1000, blockSize: 1024}
                      - {lun: 0, size: 1GiB, backing: tape}
                      - {size: 1GiB, backing: file, file: ../escape.img}
                """);
        String all = String.join("\n", problems);
        assertTrue(all.contains("portal.port"), all);
        assertTrue(all.contains("targets[0].name"), all);
        assertTrue(all.contains("targets[0].chap"), all);
        assertTrue(all.contains("targets[0].luns[0].blockSize"), all);
        assertTrue(all.contains("targets[0].luns[1].backing"), all);
        assertTrue(all.contains("targets[0].luns[2].file"), all);
    }

    @Test
    void readsAPhysicalBlockSize() {
        ApplianceSettings.DiskSettings disk = parse("""
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - {size: 1GiB, blockSize: 512, physicalBlockSize: 4096}
                """).targets().get(0).luns().get(0);
        assertEquals(512, disk.blockSize());
        assertEquals(4096, disk.physicalBlockSize());
        assertEquals(3, disk.geometry().physicalBlockExponent());
    }

    @Test
    void refusesPhysicalBlockSizesNoDiskCanHave() {
        List<String> problems = problems("""
                portal: {maxTransferSize: 64KiB}
                targets:
                  - name: iqn.2026-11.org.example:disk1
                    luns:
                      - {size: 1GiB, physicalBlockSize: 1536}
                      - {size: 1GiB, blockSize: 4096, physicalBlockSize: 512}
                      - {size: 1GiB, physicalBlockSize: 131072}
                      - {size: 6KiB, physicalBlockSize: 4096}
                """);
        String all = String.join("\n", problems);
        assertTrue(all.contains("targets[0].luns[0].physicalBlockSize: physical block size must be 512 times a"
                + " power of two"), all);
        assertTrue(all.contains("targets[0].luns[1].physicalBlockSize"), all);
        assertTrue(all.contains("targets[0].luns[2].physicalBlockSize: must not exceed portal.maxTransferSize"), all);
        assertTrue(all.contains("targets[0].luns[3].size: must be a multiple of the physical block size (4096)"),
                all);
    }

    @Test
    void refusesDuplicatesAndUnknownKeys() {
        assertTrue(String.join("\n", problems("""
                targets:
                  - name: iqn.2026-11.org.example:a
                    luns: [{lun: 1, size: 1MiB}, {lun: 1, size: 1MiB}]
                  - name: IQN.2026-11.org.example:A
                    luns: [{size: 1MiB}]
                """)).contains("used twice"));
        assertTrue(String.join("\n", problems("""
                targets:
                  - name: iqn.2026-11.org.example:a
                    lunz: []
                """)).contains("lunz"));
        assertTrue(String.join("\n", problems("targets: []\n")).contains("at least one target"));
    }

    @Test
    void readsSnapshotSchedulesAndRefusesBadOnes() {
        ApplianceSettings settings = parse(oneTarget("""
                - {size: 1GiB, snapshotSchedule: {startHour: 3, recurrenceHours: 12, retain: 14}}
                - {size: 1GiB, backing: cached, snapshotSchedule: {}}
                - {size: 1GiB}
                """));
        List<ApplianceSettings.DiskSettings> luns = settings.targets().get(0).luns();
        assertEquals(new ApplianceSettings.ScheduleSettings(3, 12, 14), luns.get(0).snapshotSchedule());
        assertEquals(new ApplianceSettings.ScheduleSettings(0, 24, null), luns.get(1).snapshotSchedule(),
                "daily at midnight, keeping all, unless asked");
        assertEquals(null, luns.get(2).snapshotSchedule());
        String all = String.join("\n", problems(oneTarget("""
                - {size: 1GiB, snapshotSchedule: {startHour: 24}}
                - {size: 1GiB, snapshotSchedule: {recurrenceHours: 6}}
                - {size: 1GiB, snapshotSchedule: {retain: 0}}
                - {size: 1GiB, backing: memory, snapshotSchedule: {}}
                """)));
        assertTrue(all.contains("targets[0].luns[0].snapshotSchedule.startHour: must be an hour of the day, 0-23,"
                + " was 24"), all);
        assertTrue(all.contains("targets[0].luns[1].snapshotSchedule.recurrenceHours: must be one of"
                + " [1, 2, 4, 8, 12, 24], was 6"), all);
        assertTrue(all.contains("targets[0].luns[2].snapshotSchedule.retain: must be 1-1000"), all);
        assertTrue(all.contains("targets[0].luns[3].snapshotSchedule: only meaningful with backing: stored or"
                + " cached"), all);
    }

    @Test
    void parsesSizes() {
        assertEquals(512, ByteSize.parse("512"));
        assertEquals(1L << 30, ByteSize.parse("1GiB"));
        assertEquals(1L << 30, ByteSize.parse("1 GB"));
        assertEquals(32L << 40, ByteSize.parse("32TiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("lots"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("99999999999999PiB"));
    }
}
