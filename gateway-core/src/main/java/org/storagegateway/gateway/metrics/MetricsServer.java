package org.storagegateway.gateway.metrics;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.storagegateway.gateway.http.HttpService;

/**
 * The metrics endpoint monitoring scrapes: {@code GET /metrics} in the Prometheus text format, {@code GET /health}
 * (200 while the appliance serves, 503 otherwise) and the status page ops staff read ({@code GET /status}),
 * unauthenticated as scrapers expect, so bind it where only the monitoring network reaches.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final GatewayMetrics metrics;
    private final Supplier<Health> health;
    private final Supplier<String> statusPage;
    private final HttpService http = new HttpService("metrics", this::answer, 4096, 2);

    /** What the health endpoint reports: whether the appliance serves, and why not. */
    public record Health(boolean up, String detail) {
    }

    public MetricsServer(GatewayMetrics metrics, Supplier<Health> health) {
        this(metrics, health, null);
    }

    /** With the status page ({@code statusPage} renders it; null: none) on {@code /} and {@code /status}. */
    public MetricsServer(GatewayMetrics metrics, Supplier<Health> health, Supplier<String> statusPage) {
        this.metrics = metrics;
        this.health = health;
        this.statusPage = statusPage;
    }

    public MetricsServer start(InetSocketAddress address) throws InterruptedException {
        http.start(address);
        LOG.info("Metrics on http://{}:{}/metrics, health on /health{}", address.getHostString(), port(),
                statusPage == null ? "" : ", status page on /status");
        return this;
    }

    public int port() {
        return http.port();
    }

    private HttpService.Response answer(HttpService.Request request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return text(405, "only GET is served here\n");
        }
        return switch (request.path()) {
            case "/metrics" -> new HttpService.Response(200, TEXT_FORMAT,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8));
            case "/health" -> {
                Health now = health.get();
                String body = "{\"status\":\"" + (now.up() ? "UP" : "DOWN") + "\",\"detail\":\""
                        + now.detail().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
                yield new HttpService.Response(now.up() ? 200 : 503, "application/json",
                        body.getBytes(StandardCharsets.UTF_8));
            }
            case "/", "/status" -> statusPage == null ? text(404, "no status page here\n")
                    : new HttpService.Response(200, "text/html; charset=utf-8",
                            statusPage.get().getBytes(StandardCharsets.UTF_8));
            default -> text(404, "not found: " + request.path() + " (try /status, /metrics or /health)\n");
        };
    }

    private static HttpService.Response text(int status, String message) {
        return new HttpService.Response(status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        http.close();
    }
}
