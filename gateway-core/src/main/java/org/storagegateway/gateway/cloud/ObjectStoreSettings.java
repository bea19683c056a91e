package org.storagegateway.gateway.cloud;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the gateway's objects go, validated: an S3-compatible endpoint (or none, for the embedded server), the bucket
 * and key prefix, credentials, encryption at rest, and the bandwidth limits.
 *
 * @param endpoint          the S3 endpoint; null for AWS's regional endpoint, unless {@code embedded} is set
 * @param region            the signing region
 * @param bucket            the bucket
 * @param prefix            the key prefix, empty or ending in '/'
 * @param pathStyle         path-style addressing (S3-compatible stores), rather than virtual hosts
 * @param accessKeyId       static credentials, or null for the AWS SDK's default provider chain
 * @param secretAccessKey   with {@code accessKeyId}
 * @param encryptionKeys    AES-256 keys by id for encryption at rest (empty: objects are not encrypted)
 * @param activeKeyId       the key new objects are sealed with, or null
 * @param uploadRate        bytes per second uploaded at most (0: unlimited)
 * @param downloadRate      bytes per second downloaded at most (0: unlimited)
 * @param maxConcurrency    HTTP connections to the store at most
 * @param embedded          the in-process S3-compatible server to start, or null for a configured endpoint
 */
public record ObjectStoreSettings(URI endpoint, String region, String bucket, String prefix, boolean pathStyle,
                                  String accessKeyId, String secretAccessKey, Map<String, byte[]> encryptionKeys,
                                  String activeKeyId, long uploadRate, long downloadRate, int maxConcurrency,
                                  Embedded embedded) {
    public static final String DEFAULT_BUCKET = "storage-gateway";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final int DEFAULT_EMBEDDED_PORT = 9000;
    public static final String EMBEDDED_ACCESS_KEY = "gateway";
    public static final int DEFAULT_MAX_CONCURRENCY = 16;

    public ObjectStoreSettings {
        encryptionKeys = Map.copyOf(encryptionKeys);
        if (activeKeyId != null && !encryptionKeys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("the active key " + activeKeyId + " is not among the keys");
        }
    }

    /**
     * The embedded S3-compatible server (S3Proxy) the appliance starts when no endpoint is configured.
     *
     * @param directory where it keeps objects
     * @param bind      its listening address
     * @param port      its port (0: any free one)
     * @param accessKey the access key it accepts
     * @param secretKey the secret key it accepts
     */
    public record Embedded(Path directory, String bind, int port, String accessKey, String secretKey) {
    }

    /** The embedded server's defaults under {@code dataDirectory}, with a secret made for this gateway. */
    public static ObjectStoreSettings embedded(Path dataDirectory, int port, String secretKey) {
        return new ObjectStoreSettings(null, DEFAULT_REGION, DEFAULT_BUCKET, "", true, EMBEDDED_ACCESS_KEY, secretKey,
                Map.of(), null, 0, 0, DEFAULT_MAX_CONCURRENCY, new Embedded(dataDirectory.resolve("s3"),
                "127.0.0.1", port, EMBEDDED_ACCESS_KEY, secretKey));
    }

    /** The same, the embedded server taking {@code secretKey} (made on first start when none is configured). */
    public ObjectStoreSettings withEmbeddedSecret(String secretKey) {
        Embedded server = new Embedded(embedded.directory(), embedded.bind(), embedded.port(), embedded.accessKey(),
                secretKey);
        return new ObjectStoreSettings(endpoint, region, bucket, prefix, pathStyle, server.accessKey(), secretKey,
                encryptionKeys, activeKeyId, uploadRate, downloadRate, maxConcurrency, server);
    }

    /** The same, kept under another data directory (the command line's --data-dir). */
    public ObjectStoreSettings movedTo(Path oldDataDirectory, Path newDataDirectory) {
        if (embedded == null || !embedded.directory().startsWith(oldDataDirectory)) {
            return this;
        }
        Embedded server = new Embedded(newDataDirectory.resolve(oldDataDirectory.relativize(embedded.directory())),
                embedded.bind(), embedded.port(), embedded.accessKey(), embedded.secretKey());
        return new ObjectStoreSettings(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey,
                encryptionKeys, activeKeyId, uploadRate, downloadRate, maxConcurrency, server);
    }

    public boolean encrypted() {
        return activeKeyId != null;
    }
}
