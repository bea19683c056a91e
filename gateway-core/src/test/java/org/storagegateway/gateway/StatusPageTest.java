package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.gateway.ExternalTool.Outcome;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.config.ConfigLoader;
import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * The status page in a real headless browser (Debian's chromium): it renders the gateway's health, its volumes with
 * their data not yet uploaded, the cache, and the tape library's absence; a screenshot is left in the build directory
 * ({@code status/status.png}) for a person to look at.
 */
class StatusPageTest {
    private static final String KEY = "AKIASTATUSPAGETEST01";
    private static final String SECRET = "statuspagetestsecretstatuspagetestsecret";

    @TempDir
    Path directory;

    @BeforeAll
    static void needsChromium() {
        ExternalTool.require("chromium");
    }

    private ApplianceSettings settings() {
        return TestAppliances.managed(new ApplianceSettings(directory, "127.0.0.1", 0, List.of(),
                ConfigLoader.DEFAULT_MAX_TRANSFER, ConfigLoader.defaultCache(directory),
                TestAppliances.embeddedStore(directory), null, List.of(
                        new TargetSettings("iqn.2026-11.org.storagegateway.test:finance", null, Set.of(),
                                ChapPolicy.NONE, List.of(new DiskSettings(0, 64L << 20, 512, Backing.CACHE, null,
                                        "finance", false))),
                        new TargetSettings("iqn.2026-11.org.storagegateway.test:archive", null, Set.of(),
                                ChapPolicy.NONE, List.of(new DiskSettings(0, 64L << 20, 512, Backing.CACHED, null,
                                        "archive<b>", false))))), KEY, SECRET);
    }

    private static Outcome chromium(String log, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir="
                        + Files.createTempDirectory("chromium-profile")));
        command.addAll(List.of(arguments));
        return ExternalTool.run(TestAppliances.reportDirectory("status").resolve(log), Duration.ofMinutes(2),
                command.toArray(String[]::new));
    }

    @Test
    void theStatusPageRendersInABrowser() throws Exception {
        try (Appliance appliance = Appliance.start(settings())) {
            // A write the uploader has not sent yet (a chunk settles for 5 s first).
            appliance.volumes().orElseThrow().volume("finance").write(0, ByteBuffer.allocate(8 << 20).put(0,
                    (byte) 1), false);
            String url = "http://127.0.0.1:" + appliance.metricsPort() + "/status";
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));

            Outcome dom = chromium("dom.html", "--dump-dom", url);
            assertEquals(0, dom.exitCode(), dom.output());
            String rendered = dom.output();
            assertTrue(rendered.contains("id=\"health\" class=\"up\">Serving: iSCSI on port " + appliance.port()),
                    rendered);
            assertTrue(rendered.matches("(?s).*<td>finance</td><td>vol-[0-9a-f]{17}</td><td>stored</td>"
                    + "<td class=\"n\">64\\.0 MiB</td>.*"), rendered);
            assertTrue(rendered.contains("<td>archive&lt;b&gt;</td>"), "names are text, never markup: " + rendered);
            assertTrue(rendered.contains("no tape library"), rendered);
            assertTrue(rendered.contains("<li>None.</li>"), rendered);

            Path screenshot = TestAppliances.reportDirectory("status").resolve("status.png").toAbsolutePath();
            Files.deleteIfExists(screenshot);
            Outcome shot = chromium("screenshot.log", "--window-size=1280,900", "--screenshot=" + screenshot, url);
            assertEquals(0, shot.exitCode(), shot.output());
            byte[] png = Files.readAllBytes(screenshot);
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G',
                    "a PNG screenshot at " + screenshot);
        }
    }
}
