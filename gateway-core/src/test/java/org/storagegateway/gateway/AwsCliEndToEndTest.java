package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.gateway.ExternalTool.Outcome;
import org.storagegateway.gateway.api.ApiKeys;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.config.ConfigLoader;
import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * Issue 7's end-to-end run with the AWS CLI (Debian awscli) against a running appliance, as an operator would script
 * it: make a cached volume, write it over iSCSI (qemu-io), snapshot it, wait for the snapshot's manifest in the
 * embedded S3 server (with the CLI's s3api), make a volume from the snapshot and read the data back, list, describe
 * and delete; every command's JSON output parsed and checked. The tape half waits for the tape library.
 */
class AwsCliEndToEndTest {
    private static final String KEY = "AKIACLIENDTOENDTEST1";
    private static final String SECRET = "clienedtoendsecretclienedtoendsecret0001";
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger step = new AtomicInteger();

    @TempDir
    Path directory;

    @BeforeAll
    static void needsTools() {
        ExternalTool.require("aws");
        ExternalTool.require("qemu-io");
    }

    private ApplianceSettings settings() {
        DiskSettings stored = new DiskSettings(0, 8L << 20, 512, Backing.CACHE, null, "stored0", false);
        return TestAppliances.managed(new ApplianceSettings(directory, "127.0.0.1", 0, List.of(),
                ConfigLoader.DEFAULT_MAX_TRANSFER, ConfigLoader.defaultCache(directory),
                TestAppliances.embeddedStore(directory), null, List.of(new TargetSettings(
                        "iqn.2026-11.org.storagegateway.test:cli0", null, Set.of(), ChapPolicy.NONE,
                        List.of(stored)))), KEY, SECRET);
    }

    /** Runs one CLI command; returns its exit code and output (JSON when it succeeded). */
    private Outcome aws(Map<String, String> credentials, String endpoint, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"));
        Map<String, String> environment = new HashMap<>(credentials);
        environment.put("AWS_CONFIG_FILE", "/dev/null");
        environment.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        environment.put("AWS_PAGER", "");
        return ExternalTool.run(TestAppliances.reportDirectory("aws-cli").resolve(String.format("%02d-%s.json",
                step.incrementAndGet(), arguments[1])), Duration.ofMinutes(1), environment,
                command.toArray(String[]::new));
    }

    private JsonNode ok(Outcome outcome) throws Exception {
        assertEquals(0, outcome.exitCode(), outcome.output() + " (stderr in " + outcome.log() + ".stderr)");
        return outcome.output().isBlank() ? json.createObjectNode() : json.readTree(outcome.output());
    }

    private static void qemuIo(Appliance appliance, String targetArn, String log, String command) throws Exception {
        String target = targetArn.substring(targetArn.indexOf("/target/") + "/target/".length());
        Outcome outcome = ExternalTool.run(TestAppliances.reportDirectory("aws-cli").resolve(log),
                Duration.ofMinutes(1), "qemu-io", "-f", "raw", "-c", command,
                "iscsi://127.0.0.1:" + appliance.port() + "/" + target + "/0");
        assertEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(!outcome.output().contains("Pattern verification failed"), outcome.output());
    }

    @Test
    void anOperatorsScriptRunsAgainstTheAppliance() throws Exception {
        try (Appliance appliance = Appliance.start(settings())) {
            Map<String, String> api = Map.of("AWS_ACCESS_KEY_ID", KEY, "AWS_SECRET_ACCESS_KEY", SECRET);
            String endpoint = "http://127.0.0.1:" + appliance.managementPort();
            String gatewayArn = ok(aws(api, endpoint, "storagegateway", "list-gateways")).at("/Gateways/0/GatewayARN")
                    .asText();
            assertTrue(gatewayArn.matches("arn:aws:storagegateway:us-east-1:\\d{12}:gateway/sgw-[0-9A-F]{8}"),
                    gatewayArn);

            JsonNode made = ok(aws(api, endpoint, "storagegateway", "create-cached-iscsi-volume", "--gateway-arn",
                    gatewayArn, "--volume-size-in-bytes", Long.toString(1L << 30), "--target-name", "cli1",
                    "--network-interface-id", "127.0.0.1", "--client-token", "cli-token-0001"));
            String volumeArn = made.get("VolumeARN").asText();
            assertEquals(gatewayArn + "/target/iqn.2026-11.org.storagegateway:cli1", made.get("TargetARN").asText());
            qemuIo(appliance, made.get("TargetARN").asText(), "write.log", "write -P 0x6b 0 2M");

            String snapshotId = ok(aws(api, endpoint, "storagegateway", "create-snapshot", "--volume-arn", volumeArn,
                    "--snapshot-description", "from the CLI")).get("SnapshotId").asText();
            assertTrue(snapshotId.matches("snap-[0-9a-f]{17}"), snapshotId);
            // A snapshot is complete once its manifest is in the bucket; the embedded server's keys are on disk.
            String secret = ApiKeys.loadOrCreate(directory.resolve(Appliance.EMBEDDED_S3_KEYS),
                    ObjectStoreSettings.EMBEDDED_ACCESS_KEY, "").get(ObjectStoreSettings.EMBEDDED_ACCESS_KEY);
            Map<String, String> s3 = Map.of("AWS_ACCESS_KEY_ID", ObjectStoreSettings.EMBEDDED_ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", secret);
            String s3Endpoint = appliance.cloud().orElseThrow().embeddedEndpoint().toString();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (aws(s3, s3Endpoint, "s3api", "head-object", "--bucket", ObjectStoreSettings.DEFAULT_BUCKET,
                    "--key", "snapshots/" + snapshotId + "/manifest.json").exitCode() != 0) {
                assertTrue(System.nanoTime() < deadline, "snapshot " + snapshotId + " not complete in 2 minutes");
                Thread.sleep(500);
            }

            JsonNode restored = ok(aws(api, endpoint, "storagegateway", "create-cached-iscsi-volume",
                    "--gateway-arn", gatewayArn, "--volume-size-in-bytes", Long.toString(1L << 30), "--target-name",
                    "cli2", "--network-interface-id", "127.0.0.1", "--client-token", "cli-token-0002",
                    "--snapshot-id", snapshotId));
            qemuIo(appliance, restored.get("TargetARN").asText(), "read.log", "read -P 0x6b 0 2M");

            JsonNode volumes = ok(aws(api, endpoint, "storagegateway", "list-volumes", "--gateway-arn",
                    gatewayArn)).get("VolumeInfos");
            assertEquals(3, volumes.size(), volumes.toString());
            JsonNode described = ok(aws(api, endpoint, "storagegateway", "describe-cached-iscsi-volumes",
                    "--volume-arns", restored.get("VolumeARN").asText())).at("/CachediSCSIVolumes/0");
            assertEquals(snapshotId, described.get("SourceSnapshotId").asText());
            assertEquals("cli2", described.get("TargetName").asText());
            assertEquals(appliance.port(), described.at("/VolumeiSCSIAttributes/NetworkInterfacePort").asInt());

            ok(aws(api, endpoint, "storagegateway", "delete-volume", "--volume-arn",
                    restored.get("VolumeARN").asText()));
            assertEquals(2, ok(aws(api, endpoint, "storagegateway", "list-volumes", "--gateway-arn", gatewayArn))
                    .get("VolumeInfos").size());
            Outcome unknown = aws(api, endpoint, "storagegateway", "delete-volume", "--volume-arn",
                    gatewayArn + "/volume/vol-00000000000000000");
            assertNotEquals(0, unknown.exitCode());
            String errors = Files.readString(Path.of(unknown.log() + ".stderr"));
            assertTrue(errors.contains("InvalidGatewayRequestException"), errors);
        }
    }
}
