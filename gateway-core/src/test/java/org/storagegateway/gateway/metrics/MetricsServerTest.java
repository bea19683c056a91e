package org.storagegateway.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheSettings;
import org.storagegateway.cache.VolumeMode;

/** The metrics endpoint over HTTP: CloudWatch's names with the gateway and volume labels, and the health check. */
class MetricsServerTest {
    @TempDir
    Path directory;

    private static HttpResponse<String> get(HttpClient http, int port, String path)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aScrapeShowsTheCacheAndEachVolumeUnderTheNamesOpsStaffKnow() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics("sgw-12A3456B");
        AtomicBoolean up = new AtomicBoolean(true);
        try (BlockCache cache = BlockCache.open(CacheSettings.of(directory, 64L << 20, 16L << 20));
             MeteredBlockDevice volume = new MeteredBlockDevice(cache.openVolume("vol", 8L << 20,
                     VolumeMode.STORED, null));
             MetricsServer server = new MetricsServer(metrics,
                     () -> new MetricsServer.Health(up.get(), up.get() ? "serving" : "stopping"))
                     .start(new InetSocketAddress("127.0.0.1", 0))) {
            metrics.registerCache(cache);
            metrics.registerVolume("vol", volume);
            volume.write(0, ByteBuffer.wrap(new byte[8192]), false);
            volume.read(0, ByteBuffer.allocate(4096));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> scrape = get(http, server.port(), "/metrics");
            assertEquals(200, scrape.statusCode());
            String text = scrape.body();
            for (String line : new String[] {
                "ReadBytes_total{gateway=\"sgw-12A3456B\",volume=\"vol\"} 4096.0",
                "WriteBytes_total{gateway=\"sgw-12A3456B\",volume=\"vol\"} 8192.0",
                "TotalCacheSize{gateway=\"sgw-12A3456B\"} 6.7108864E7",
                "CacheHitPercent{gateway=\"sgw-12A3456B\"} 100.0"}) {
                assertTrue(text.contains(line), "no line " + line + " in:\n" + text);
            }
            assertTrue(text.contains("# HELP UploadBufferPercentUsed "), text);

            assertEquals(200, get(http, server.port(), "/health").statusCode());
            up.set(false);
            HttpResponse<String> down = get(http, server.port(), "/health");
            assertEquals(503, down.statusCode());
            assertTrue(down.body().contains("\"DOWN\""), down.body());
            assertEquals(404, get(http, server.port(), "/nothing").statusCode());
        }
    }
}
