package org.storagegateway.gateway.config;

import java.util.Map;

/**
 * The management API and the metrics endpoint, validated: where each listens (a negative port: not served), the
 * region and gateway name the API reports, and the access keys it accepts (empty: keys the appliance made itself on
 * first start, kept in the data directory).
 *
 * @param apiBind     the management API's listening address
 * @param apiPort     its TCP port (0 picks a free one; negative: no API)
 * @param metricsBind the metrics endpoint's listening address
 * @param metricsPort its TCP port (0 picks a free one; negative: no metrics endpoint)
 * @param region      the region requests are signed for and ARNs name
 * @param gatewayName the gateway's name in the API
 * @param accessKeys  secret access keys by access key id
 */
public record ManagementSettings(String apiBind, int apiPort, String metricsBind, int metricsPort, String region,
                                 String gatewayName, Map<String, String> accessKeys) {
    public static final int DEFAULT_API_PORT = 8085;
    public static final int DEFAULT_METRICS_PORT = 9464;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_GATEWAY_NAME = "storage-gateway";

    public ManagementSettings {
        accessKeys = Map.copyOf(accessKeys);
    }

    /** Neither endpoint: for embedding the appliance (tests, benchmarks). */
    public static ManagementSettings disabled() {
        return new ManagementSettings("127.0.0.1", -1, "127.0.0.1", -1, DEFAULT_REGION, DEFAULT_GATEWAY_NAME,
                Map.of());
    }

    public boolean apiEnabled() {
        return apiPort >= 0;
    }

    public boolean metricsEnabled() {
        return metricsPort >= 0;
    }
}
