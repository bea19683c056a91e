package org.storagegateway.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.storagegateway.StorageGatewayClient;
import software.amazon.awssdk.services.storagegateway.model.ErrorCode;
import software.amazon.awssdk.services.storagegateway.model.GatewayInfo;
import software.amazon.awssdk.services.storagegateway.model.InvalidGatewayRequestException;
import software.amazon.awssdk.services.storagegateway.model.StorageGatewayException;

import org.storagegateway.gateway.api.GatewayOperations.GatewayDescription;

/**
 * The management endpoint over real HTTP with clients nobody here wrote: the AWS SDK for Java's StorageGatewayClient
 * and the AWS CLI, signing with SigV4; and raw requests for what they never send (unsigned, expired, malformed).
 */
class ManagementServerTest {
    private static final String KEY = "AKIAGATEWAYTEST00001";
    private static final String SECRET = "gatewaytestsecretgatewaytestsecret000001";
    private static final GatewayDescription GATEWAY = new GatewayDescription("sgw-12A3456B", "test-gateway",
            "us-east-1", "123456789012", "STORED", "GMT");
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path directory;
    private ManagementServer server;

    /** A gateway that is always up: this test is about the protocol, not the data path. */
    private static final class AlwaysRunning implements GatewayPower {
        @Override
        public boolean running() {
            return true;
        }

        @Override
        public void shutdown() {
            throw new UnsupportedOperationException("not in this test");
        }

        @Override
        public void start() {
        }
    }

    @BeforeEach
    void start() throws InterruptedException {
        server = new ManagementServer(new SigV4Verifier(Map.of(KEY, SECRET), "us-east-1", "storagegateway"),
                new GatewayOperations(GATEWAY, ManagementState.open(directory), new AlwaysRunning())
                        .operations(), Clock.systemUTC())
                .start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private StorageGatewayClient client(String secret) {
        return ApiClients.storageGateway(endpoint(), KEY, secret);
    }

    @Test
    void theAwsSdkListsAndDescribesTheGateway() {
        try (StorageGatewayClient client = client(SECRET)) {
            List<GatewayInfo> gateways = client.listGateways().gateways();
            assertEquals(1, gateways.size());
            assertEquals("arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-12A3456B",
                    gateways.get(0).gatewayARN());
            var described = client.describeGatewayInformation(request -> request.gatewayARN(GATEWAY.arn()));
            assertEquals("test-gateway", described.gatewayName());
            assertEquals("RUNNING", described.gatewayState());
            InvalidGatewayRequestException other = assertThrows(InvalidGatewayRequestException.class,
                    () -> client.describeGatewayInformation(request -> request.gatewayARN(
                            "arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-00000000")));
            // This SDK's exception classes leave out the model's "error" member; the response carries it.
            assertEquals(ErrorCode.GATEWAY_NOT_FOUND.toString(), ApiErrors.errorCode(other));
        }
    }

    @Test
    void aWrongSecretIsRefusedAsAwsRefusesIt() {
        try (StorageGatewayClient client = client("not-the-secret-not-the-secret-not-the-sec")) {
            StorageGatewayException refused = assertThrows(StorageGatewayException.class, client::listGateways);
            assertEquals("InvalidSignatureException", refused.awsErrorDetails().errorCode());
            assertEquals(403, refused.statusCode());
        }
    }

    @Test
    void unsignedExpiredAndMalformedRequestsGetClearErrors() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(endpoint())
                .header("X-Amz-Target", ManagementServer.TARGET_PREFIX + "ListGateways")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, unsigned.statusCode());
        assertEquals("MissingAuthenticationTokenException", json.readTree(unsigned.body()).get("__type").asText());

        JsonNode expired = send(http, "ListGateways", "{}", Instant.now().minus(Duration.ofMinutes(20)));
        assertEquals("InvalidSignatureException", expired.get("__type").asText());
        assertTrue(expired.get("message").asText().startsWith("Signature expired"), expired.toString());

        assertEquals("SerializationException", send(http, "ListGateways", "{\"Limit\":", Instant.now())
                .get("__type").asText());
        assertEquals("UnknownOperationException", send(http, "MakeCoffee", "{}", Instant.now())
                .get("__type").asText());
        JsonNode badLimit = send(http, "ListGateways", "{\"Limit\":-1}", Instant.now());
        assertEquals("InvalidGatewayRequestException", badLimit.get("__type").asText());
        assertEquals("InvalidParameters", badLimit.get("error").get("errorCode").asText());
    }

    /** Sends a request signed by the AWS SDK's own signer as of {@code signedAt}, and returns the JSON answer. */
    private JsonNode send(HttpClient http, String operation, String body, Instant signedAt) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST).uri(endpoint()).encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", ManagementServer.TARGET_PREFIX + operation)
                .contentStreamProvider(() -> new ByteArrayInputStream(bytes))
                .build();
        @SuppressWarnings("deprecation")
        SdkHttpFullRequest signed = Aws4Signer.create().sign(unsigned, Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(KEY, SECRET))
                .signingName("storagegateway").signingRegion(Region.US_EAST_1)
                .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC)).build());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint())
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return json.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void theAwsCliListsTheGateway() throws IOException, InterruptedException {
        assumeTrue(onPath("aws"), "the AWS CLI (Debian awscli) is not installed");
        ProcessBuilder builder = new ProcessBuilder("aws", "storagegateway", "list-gateways", "--endpoint-url",
                endpoint().toString(), "--region", "us-east-1", "--output", "json");
        builder.environment().put("AWS_ACCESS_KEY_ID", KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", SECRET);
        builder.environment().remove("AWS_PROFILE");
        builder.environment().put("AWS_CONFIG_FILE", "/dev/null");
        builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the AWS CLI did not finish");
        assertEquals(0, process.exitValue(), output);
        assertEquals(GATEWAY.arn(), json.readTree(output).get("Gateways").get(0).get("GatewayARN").asText());
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
