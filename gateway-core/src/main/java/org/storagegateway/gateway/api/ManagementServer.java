package org.storagegateway.gateway.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.storagegateway.gateway.http.HttpService;

/**
 * The management API's HTTP endpoint: the AWS JSON 1.1 protocol of the Storage Gateway API ({@code POST /} with
 * {@code X-Amz-Target: StorageGateway_20130630.<Operation>}), every request checked by {@link SigV4Verifier} before
 * anything else, and errors as the AWS SDKs parse them ({@code __type}, {@code message}, and the service's
 * {@code error.errorCode}).
 */
public final class ManagementServer implements AutoCloseable {
    /** The target prefix of the service model. */
    public static final String TARGET_PREFIX = "StorageGateway_20130630.";
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** The largest request body accepted; the model's largest inputs (tag lists, CHAP secrets) are far smaller. */
    private static final int MAX_BODY = 1 << 20;
    private static final int WORKERS = 4;

    private final ObjectMapper json = new ObjectMapper();
    private final SigV4Verifier verifier;
    private final Map<String, ApiOperation> operations;
    private final Clock clock;
    private final HttpService http = new HttpService("management-api", this::answer, MAX_BODY, WORKERS);

    /** One operation of the API: its input as sent, its output as the model shapes it. */
    @FunctionalInterface
    public interface ApiOperation {
        ObjectNode handle(JsonNode input) throws ApiException;
    }

    public ManagementServer(SigV4Verifier verifier, Map<String, ApiOperation> operations, Clock clock) {
        this.verifier = verifier;
        this.operations = Map.copyOf(operations);
        this.clock = clock;
    }

    /** Starts listening on {@code address} (port 0: any free port) and returns this server. */
    public ManagementServer start(InetSocketAddress address) throws InterruptedException {
        http.start(address);
        LOG.info("Management API (AWS Storage Gateway, JSON 1.1, SigV4) on http://{}:{}/",
                address.getHostString(), port());
        return this;
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpService.Response answer(HttpService.Request request) {
        String target = request.header("X-Amz-Target");
        try {
            verifier.verify(new SigV4Verifier.SignedRequest(request.method(), request.path(), request.query(),
                    request.headers(), request.body()), clock.instant());
            if (!request.method().equals("POST")) {
                throw ApiException.protocol("UnknownOperationException", 400,
                        "the Storage Gateway API takes POST requests, not " + request.method());
            }
            ApiOperation operation = target == null || !target.startsWith(TARGET_PREFIX) ? null
                    : operations.get(target.substring(TARGET_PREFIX.length()));
            if (operation == null) {
                throw ApiException.protocol("UnknownOperationException", 400, target == null
                        ? "the request has no X-Amz-Target header" : "unknown operation " + target);
            }
            JsonNode input = parse(request.body());
            return new HttpService.Response(200, CONTENT_TYPE, json.writeValueAsBytes(operation.handle(input)));
        } catch (ApiException e) {
            return error(e);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.error("Management API operation {} failed: {}", target, e.toString(), e);
            return error(ApiException.internal("the operation failed inside the gateway: " + e.getMessage()));
        }
    }

    private JsonNode parse(byte[] body) throws ApiException {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode input = json.readTree(body);
            if (input == null || !input.isObject()) {
                throw ApiException.protocol("SerializationException", 400, "the request body must be a JSON object");
            }
            return input;
        } catch (JsonProcessingException e) {
            throw ApiException.protocol("SerializationException", 400,
                    "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.protocol("SerializationException", 400, "the request body cannot be read");
        }
    }

    private HttpService.Response error(ApiException e) {
        ObjectNode body = json.createObjectNode();
        body.put("__type", e.type());
        body.put("message", e.getMessage());
        if (e.errorCode() != null) {
            body.putObject("error").put("errorCode", e.errorCode());
        }
        return new HttpService.Response(e.status(), CONTENT_TYPE, body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
