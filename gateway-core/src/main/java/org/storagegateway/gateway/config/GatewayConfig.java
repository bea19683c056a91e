package org.storagegateway.gateway.config;

import java.util.List;
import java.util.Map;

/**
 * The appliance's configuration file, as written (YAML). {@link ConfigLoader} reads and validates it; fields left out
 * take the defaults the README documents.
 *
 * @param dataDirectory where disk images and the gateway's identity live; relative to the working directory
 * @param portal        the iSCSI portal
 * @param cache         the local block cache
 * @param objectStore   the S3 bucket (or the embedded server)
 * @param api           the management API
 * @param metrics       the metrics endpoint
 * @param targets       the iSCSI targets and their logical units
 */
public record GatewayConfig(String dataDirectory, Portal portal, Cache cache, ObjectStore objectStore, Api api,
                            Metrics metrics, List<Target> targets) {

    /**
     * The S3 bucket volumes and snapshots go to; absent, or without an endpoint: the embedded S3-compatible server.
     *
     * @param endpoint        e.g. {@code https://s3.eu-west-1.amazonaws.com} or {@code http://minio:9000}
     * @param region          the signing region (default us-east-1)
     * @param bucket          the bucket (default storage-gateway)
     * @param prefix          a key prefix inside it
     * @param pathStyle       path-style requests (default: true with an endpoint, as S3-compatible stores want)
     * @param accessKeyId     static credentials; absent: the AWS SDK's default chain (environment, profile, role)
     * @param secretAccessKey with accessKeyId
     * @param encryption      encryption at rest: keys by id (base64, 32 bytes) and the active one
     * @param uploadRate      bytes per second up at most, e.g. {@code 50MiB} (absent: unlimited)
     * @param downloadRate    bytes per second down at most
     * @param maxConcurrency  connections to the store at most (default 16)
     * @param embedded        the embedded server's port (default 9000), bind address and secret
     */
    public record ObjectStore(String endpoint, String region, String bucket, String prefix, Boolean pathStyle,
                              String accessKeyId, String secretAccessKey, Encryption encryption, String uploadRate,
                              String downloadRate, Integer maxConcurrency, EmbeddedS3 embedded) {
    }

    /** Encryption at rest: AES-256 keys by id, base64, and the id new objects use. */
    public record Encryption(Map<String, String> keys, String activeKey) {
    }

    /** The embedded S3 server: where it listens, and its secret key (absent: made on first start). */
    public record EmbeddedS3(String bind, Integer port, String secretKey) {
    }

    /**
     * The management API (the AWS Storage Gateway API over HTTP, SigV4-signed).
     *
     * @param enabled     false to serve no API (default true)
     * @param bind        its listening address (default 127.0.0.1)
     * @param port        its port (default 8085)
     * @param region      the region clients sign for (default us-east-1)
     * @param gatewayName the gateway's name
     * @param accessKeys  the keys it accepts; none: keys made on first start, in the data directory's api-keys
     */
    public record Api(Boolean enabled, String bind, Integer port, String region, String gatewayName,
                      List<AccessKey> accessKeys) {
    }

    /** One access key pair of the management API. */
    public record AccessKey(String accessKeyId, String secretAccessKey) {
    }

    /** The Prometheus metrics and health endpoint: enabled (default true), bind and port (default 9464). */
    public record Metrics(Boolean enabled, String bind, Integer port) {
    }

    /**
     * The local block cache (RocksDB) that {@code cache}-backed disks live in.
     *
     * @param directory    where it lives, relative to the data directory (default {@code cache})
     * @param capacity     the most data of cached volumes held at once
     * @param uploadBuffer the most dirty data of cached volumes before writes slow down
     * @param chunkSize    the unit of dirty tracking, eviction and upload
     * @param pageSize     the unit stored and compressed
     * @param memory       heap for hot decompressed pages
     * @param blockCache   RocksDB's off-heap block cache
     */
    public record Cache(String directory, String capacity, String uploadBuffer, String chunkSize, String pageSize,
                        String memory, String blockCache) {
    }

    /** The iSCSI portal: where it listens and what it advertises in SendTargets. */
    public record Portal(String bind, Integer port, List<String> advertise, String maxTransferSize) {
    }

    /** One iSCSI target: a name, who may log in, CHAP, and its logical units. */
    public record Target(String name, String alias, List<String> allowedInitiators, Chap chap, List<Lun> luns) {
    }

    /** CHAP credentials: initiator user and secret for one-way, plus the target's for mutual CHAP. */
    public record Chap(String user, String secret, String mutualUser, String mutualSecret) {
    }

    /**
     * One disk logical unit.
     *
     * @param lun       the LUN number
     * @param size      the capacity, e.g. {@code 1GiB}
     * @param blockSize the logical block size, 512 or 4096
     * @param physicalBlockSize the physical block size: blockSize (the default) or a power-of-two multiple of it,
     *                  e.g. 4096 on 512-byte blocks for a 512e disk
     * @param backing   {@code cache} (the default: a stored volume in the local cache), {@code memory} (lost on
     *                  exit) or {@code file} (a sparse file under the data directory)
     * @param file      the backing file name for {@code file}, relative to the data directory
     * @param volume    the volume's name in the cache for {@code cache} (default: target name, "/lun", LUN number)
     * @param readOnly  whether writes are refused (DATA PROTECT)
     * @param snapshotSchedule for stored and cached volumes: scheduled snapshots, used when none is stored yet
     */
    public record Lun(Integer lun, String size, Integer blockSize, Integer physicalBlockSize, String backing,
                      String file, String volume, Boolean readOnly, SnapshotSchedule snapshotSchedule) {
    }

    /**
     * A volume's snapshot schedule (hours in the gateway's time zone, GMT unless the API set another).
     *
     * @param startHour       the hour of the day of the first snapshot, 0-23 (default 0)
     * @param recurrenceHours hours between snapshots: 1, 2, 4, 8, 12 or 24 (default 24)
     * @param retain          scheduled snapshots kept, 1-1000 (absent: all)
     */
    public record SnapshotSchedule(Integer startHour, Integer recurrenceHours, Integer retain) {
    }
}
