package org.storagegateway.gateway.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against the embedded S3-compatible server (S3Proxy in-process, over HTTP), how the appliance's start
 * fails on wrong settings, and the AWS CLI reading what the gateway stored.
 */
class EmbeddedS3Test extends ObjectStoreContract {
    private static final String SECRET = "embedded-test-secret-0001";

    @TempDir
    Path directory;
    private CloudStore cloud;
    private int buckets;

    private ObjectStoreSettings embedded(String bucket, String prefix) {
        return new ObjectStoreSettings(null, "us-east-1", bucket, prefix, true, "gateway", SECRET, Map.of(), null, 0,
                0, 8, new ObjectStoreSettings.Embedded(directory.resolve("s3"), "127.0.0.1", 0, "gateway", SECRET));
    }

    @BeforeEach
    void start() {
        cloud = CloudStore.open(embedded("gateway", ""));
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Override
    protected S3ObjectStore store(String prefix) {
        String bucket = "contract-" + buckets++;
        ObjectStoreSettings settings = new ObjectStoreSettings(cloud.embeddedEndpoint(), "us-east-1", bucket, prefix,
                true, "gateway", SECRET, Map.of(), null, 0, 0, 8, null);
        S3ObjectStore.client(settings, cloud.embeddedEndpoint()).createBucket(r -> r.bucket(bucket));
        return CloudStore.open(settings).s3();
    }

    @Test
    void aMissingBucketRefusedCredentialsAndAnUnreachableEndpointEachFailTheStartClearly() {
        URI endpoint = cloud.embeddedEndpoint();
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> CloudStore.open(
                new ObjectStoreSettings(endpoint, "us-east-1", "no-such-bucket", "", true, "gateway", SECRET, Map.of(),
                        null, 0, 0, 8, null)));
        assertTrue(missing.getMessage().contains("bucket does not exist") && missing.getMessage()
                .contains("no-such-bucket"), missing.getMessage());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> CloudStore.open(
                new ObjectStoreSettings(endpoint, "us-east-1", "gateway", "", true, "gateway", "wrong-secret-000",
                        Map.of(), null, 0, 0, 8, null)));
        assertTrue(refused.getMessage().contains("refused the credentials"), refused.getMessage());
        IllegalStateException unreachable = assertThrows(IllegalStateException.class, () -> CloudStore.open(
                new ObjectStoreSettings(URI.create("http://127.0.0.1:1"), "us-east-1", "gateway", "", true,
                        "gateway", SECRET, Map.of(), null, 0, 0, 8, null)));
        assertTrue(unreachable.getMessage().contains("cannot reach"), unreachable.getMessage());
    }

    @Test
    void theAwsCliListsWhatTheGatewayStored() throws Exception {
        assumeTrue(onPath("aws"), "the AWS CLI (Debian awscli) is not installed");
        cloud.objects().put("volumes/vol-1/volume.json", "{}".getBytes(StandardCharsets.UTF_8));
        ProcessBuilder builder = new ProcessBuilder("aws", "s3", "ls", "--recursive", "s3://gateway/",
                "--endpoint-url", cloud.embeddedEndpoint().toString(), "--region", "us-east-1");
        builder.environment().put("AWS_ACCESS_KEY_ID", "gateway");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", SECRET);
        builder.environment().put("AWS_CONFIG_FILE", "/dev/null");
        builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("volumes/vol-1/volume.json"), output);
    }

    private static boolean onPath(String command) throws IOException {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
