package org.storagegateway.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.storagegateway.gateway.cloud.ObjectStoreSettings;

/** Validates the {@code objectStore} section into {@link ObjectStoreSettings}. */
final class ObjectStoreConfig {
    private ObjectStoreConfig() {
    }

    static ObjectStoreSettings validate(GatewayConfig.ObjectStore raw, Path dataDirectory, List<String> problems) {
        GatewayConfig.ObjectStore c = raw == null
                ? new GatewayConfig.ObjectStore(null, null, null, null, null, null, null, null, null, null, null, null)
                : raw;
        URI endpoint = endpoint(c.endpoint(), problems);
        String region = c.region() == null ? ObjectStoreSettings.DEFAULT_REGION : c.region();
        String bucket = c.bucket() == null ? ObjectStoreSettings.DEFAULT_BUCKET : c.bucket();
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            problems.add("objectStore.bucket: must be 3-63 lower-case letters, digits, dots and hyphens, was \""
                    + bucket + "\"");
        }
        String prefix = c.prefix() == null ? "" : c.prefix();
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        if (prefix.startsWith("/")) {
            problems.add("objectStore.prefix: must not start with '/'");
        }
        if ((c.accessKeyId() == null) != (c.secretAccessKey() == null)) {
            problems.add("objectStore: accessKeyId and secretAccessKey go together");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String active = null;
        if (c.encryption() != null) {
            active = c.encryption().activeKey();
            Map<String, String> raws = c.encryption().keys() == null ? Map.of() : c.encryption().keys();
            raws.forEach((id, value) -> {
                try {
                    byte[] key = Base64.getDecoder().decode(value == null ? "" : value);
                    if (key.length != 32) {
                        problems.add("objectStore.encryption.keys." + id + ": must be 32 bytes in base64 (AES-256),"
                                + " was " + key.length + " bytes");
                    }
                    keys.put(id, key);
                } catch (IllegalArgumentException e) {
                    problems.add("objectStore.encryption.keys." + id + ": not base64");
                }
            });
            if (active == null || !keys.containsKey(active)) {
                problems.add("objectStore.encryption.activeKey: must name one of the keys, was " + active);
                active = null;
            }
        }
        long uploadRate = ConfigLoader.size(c.uploadRate(), 0, "objectStore.uploadRate", problems);
        long downloadRate = ConfigLoader.size(c.downloadRate(), 0, "objectStore.downloadRate", problems);
        int concurrency = c.maxConcurrency() == null ? ObjectStoreSettings.DEFAULT_MAX_CONCURRENCY
                : c.maxConcurrency();
        if (concurrency < 1 || concurrency > 256) {
            problems.add("objectStore.maxConcurrency: must be 1-256, was " + concurrency);
        }
        ObjectStoreSettings.Embedded embedded = null;
        if (endpoint == null) {
            GatewayConfig.EmbeddedS3 e = c.embedded() == null ? new GatewayConfig.EmbeddedS3(null, null, null)
                    : c.embedded();
            int port = e.port() == null ? ObjectStoreSettings.DEFAULT_EMBEDDED_PORT : e.port();
            if (port < 0 || port > 65535) {
                problems.add("objectStore.embedded.port: must be 0-65535, was " + port);
            }
            embedded = new ObjectStoreSettings.Embedded(dataDirectory.resolve("s3"),
                    e.bind() == null ? ConfigLoader.DEFAULT_BIND : e.bind(), port,
                    ObjectStoreSettings.EMBEDDED_ACCESS_KEY, e.secretKey());
        }
        boolean pathStyle = c.pathStyle() == null || c.pathStyle();
        String accessKey = embedded != null ? embedded.accessKey() : c.accessKeyId();
        String secret = embedded != null ? embedded.secretKey() : c.secretAccessKey();
        try {
            return new ObjectStoreSettings(endpoint, region, bucket, prefix, pathStyle, accessKey, secret, keys, active,
                    uploadRate, downloadRate, concurrency, embedded);
        } catch (IllegalArgumentException e) {
            problems.add("objectStore: " + e.getMessage());
            return null;
        }
    }

    private static URI endpoint(String endpoint, List<String> problems) {
        if (endpoint == null) {
            return null;
        }
        try {
            URI uri = new URI(endpoint);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add("objectStore.endpoint: must be an http:// or https:// URL, was \"" + endpoint + "\"");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add("objectStore.endpoint: not a URL: " + e.getMessage());
            return null;
        }
    }
}
