package org.storagegateway.gateway.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validates the {@code api} and {@code metrics} sections into {@link ManagementSettings}. */
final class ManagementConfig {
    private static final String ACCESS_KEY_ID = "[A-Z0-9]{16,128}";

    private ManagementConfig() {
    }

    static ManagementSettings validate(GatewayConfig.Api api, GatewayConfig.Metrics metrics, List<String> problems) {
        GatewayConfig.Api a = api == null ? new GatewayConfig.Api(null, null, null, null, null, null) : api;
        GatewayConfig.Metrics m = metrics == null ? new GatewayConfig.Metrics(null, null, null) : metrics;
        int apiPort = port(a.enabled(), a.port(), ManagementSettings.DEFAULT_API_PORT, "api.port", problems);
        int metricsPort = port(m.enabled(), m.port(), ManagementSettings.DEFAULT_METRICS_PORT, "metrics.port",
                problems);
        String region = a.region() == null ? ManagementSettings.DEFAULT_REGION : a.region();
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            problems.add("api.region: must look like us-east-1, was \"" + region + "\"");
        }
        String name = a.gatewayName() == null ? ManagementSettings.DEFAULT_GATEWAY_NAME : a.gatewayName();
        if (name.isBlank() || name.length() > 255) {
            problems.add("api.gatewayName: must be 1-255 characters");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        List<GatewayConfig.AccessKey> rawKeys = a.accessKeys() == null ? List.of() : a.accessKeys();
        for (int i = 0; i < rawKeys.size(); i++) {
            GatewayConfig.AccessKey key = rawKeys.get(i);
            String at = "api.accessKeys[" + i + "]";
            if (key == null || key.accessKeyId() == null || !key.accessKeyId().matches(ACCESS_KEY_ID)) {
                problems.add(at + ".accessKeyId: must be 16-128 upper-case letters and digits");
            } else if (key.secretAccessKey() == null || key.secretAccessKey().length() < 16) {
                problems.add(at + ".secretAccessKey: must be at least 16 characters");
            } else if (keys.put(key.accessKeyId(), key.secretAccessKey()) != null) {
                problems.add(at + ".accessKeyId: " + key.accessKeyId() + " is listed twice");
            }
        }
        String apiBind = a.bind() == null ? ConfigLoader.DEFAULT_BIND : a.bind();
        String metricsBind = m.bind() == null ? ConfigLoader.DEFAULT_BIND : m.bind();
        return new ManagementSettings(apiBind, apiPort, metricsBind, metricsPort, region, name, keys);
    }

    private static int port(Boolean enabled, Integer port, int defaultPort, String at, List<String> problems) {
        if (Boolean.FALSE.equals(enabled)) {
            return -1;
        }
        int value = port == null ? defaultPort : port;
        if (value < 0 || value > 65535) {
            problems.add(at + ": must be 0-65535, was " + value);
        }
        return value;
    }
}
