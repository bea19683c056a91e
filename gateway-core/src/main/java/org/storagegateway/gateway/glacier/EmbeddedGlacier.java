package org.storagegateway.gateway.glacier;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.storagegateway.gateway.api.ApiException;
import org.storagegateway.gateway.api.SigV4Verifier;
import org.storagegateway.gateway.glacier.GlacierVaults.Archive;
import org.storagegateway.gateway.glacier.GlacierVaults.GlacierException;
import org.storagegateway.gateway.glacier.GlacierVaults.Job;
import org.storagegateway.gateway.http.HttpService;

/**
 * An in-process emulation of the Amazon Glacier vault REST API (2012-06-01), so that the tape shelf runs offline
 * through the same AWS SDK calls as against AWS: vaults, archives (single and multipart uploads, with SHA-256 tree
 * hashes checked), and archive-retrieval jobs whose output becomes available after a configurable delay. Requests are
 * SigV4-signed for the {@code glacier} service. Not emulated: inventory jobs, vault locks, notifications, data
 * retrieval policies, provisioned capacity, ranged retrievals; those answer UnsupportedOperationException or
 * InvalidParameterValueException saying so.
 */
public final class EmbeddedGlacier implements AutoCloseable {
    /** The largest request body: a multipart part (or single upload) of up to 64 MiB. */
    public static final int MAX_REQUEST = (64 << 20) + 4096;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedGlacier.class);
    private static final Pattern PATH = Pattern.compile(
            "/([^/]+)/vaults(?:/([^/]+)(?:/(archives|multipart-uploads|jobs)(?:/([^/]+)(/output)?)?)?)?");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/\\*");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final String JSON = "application/json";

    private final ObjectMapper json = new ObjectMapper();
    private final GlacierVaults vaults;
    private final SigV4Verifier verifier;
    private final String region;
    private final String accountId;
    private final Clock clock;
    private final HttpService http = new HttpService("embedded-glacier", this::answer, MAX_REQUEST, 4);

    /**
     * @param directory      where vaults are kept
     * @param retrievalDelay how long an archive-retrieval job takes
     * @param credentials    secret access keys by access key id
     * @param region         the region requests are signed for
     * @param accountId      the account in vault ARNs ({@code -} in paths means it)
     */
    public EmbeddedGlacier(Path directory, Duration retrievalDelay, Map<String, String> credentials, String region,
                           String accountId, Clock clock) {
        this.vaults = new GlacierVaults(directory, retrievalDelay, clock);
        this.verifier = new SigV4Verifier(credentials, region, "glacier");
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
    }

    public EmbeddedGlacier start(InetSocketAddress address) throws InterruptedException {
        http.start(address);
        LOG.info("Embedded Glacier (vault API emulation) on http://{}:{}/", address.getHostString(), port());
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
        try {
            verifier.verify(new SigV4Verifier.SignedRequest(request.method(), request.path(), request.query(),
                    request.headers(), request.body()), clock.instant());
            Matcher path = PATH.matcher(request.path());
            if (!path.matches()) {
                throw new GlacierException("ResourceNotFoundException", 404, "no such resource: " + request.path());
            }
            if (!path.group(1).equals("-") && !path.group(1).equals(accountId)) {
                throw new GlacierException("AccessDeniedException", 403, "this emulation serves account "
                        + accountId + " (or -), not " + path.group(1));
            }
            return route(request, path.group(2), path.group(3), path.group(4), path.group(5) != null);
        } catch (ApiException e) {
            return error(e.type(), e.status(), e.getMessage());
        } catch (GlacierException e) {
            return error(e.code(), e.status(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("Embedded Glacier failed {} {}: {}", request.method(), request.path(), e.toString(), e);
            return error("ServiceUnavailableException", 500, "the emulation failed: " + e.getMessage());
        }
    }

    private HttpService.Response route(HttpService.Request request, String vault, String collection, String id,
                                       boolean output) throws GlacierException, IOException {
        String method = request.method();
        if (vault == null) {
            return method.equals("GET") ? listVaults() : unsupported(request);
        }
        if (collection == null) {
            return switch (method) {
                case "PUT" -> createVault(vault);
                case "GET" -> describeVault(vault);
                case "DELETE" -> {
                    vaults.deleteVault(vault);
                    yield empty(204, Map.of());
                }
                default -> unsupported(request);
            };
        }
        return switch (collection + " " + method + (id == null ? "" : " id") + (output ? " output" : "")) {
            case "archives POST" -> created(vaults.uploadArchive(vault, request.header("x-amz-archive-description"),
                    request.body(), request.header("x-amz-sha256-tree-hash")), vault);
            case "archives DELETE id" -> {
                vaults.deleteArchive(vault, id);
                yield empty(204, Map.of());
            }
            case "multipart-uploads POST" -> initiateUpload(request, vault);
            case "multipart-uploads PUT id" -> uploadPart(request, vault, id);
            case "multipart-uploads POST id" -> created(vaults.completeUpload(vault, id,
                    parseLong(request.header("x-amz-archive-size"), "x-amz-archive-size"),
                    request.header("x-amz-sha256-tree-hash")), vault);
            case "multipart-uploads DELETE id" -> {
                vaults.abortUpload(vault, id);
                yield empty(204, Map.of());
            }
            case "jobs POST" -> initiateJob(request, vault);
            case "jobs GET" -> listJobs(vault);
            case "jobs GET id" -> json(200, describe(vault, vaults.job(vault, id)));
            case "jobs GET id output" -> jobOutput(request, vault, id);
            default -> unsupported(request);
        };
    }

    private HttpService.Response createVault(String vault) throws GlacierException, IOException {
        vaults.createVault(vault);
        return empty(201, Map.of("Location", "/" + accountId + "/vaults/" + vault));
    }

    private String vaultArn(String vault) {
        return "arn:aws:glacier:" + region + ":" + accountId + ":vaults/" + vault;
    }

    private ObjectNode vaultJson(GlacierVaults.Vault vault) {
        ObjectNode node = json.createObjectNode();
        node.put("VaultARN", vaultArn(vault.name()));
        node.put("VaultName", vault.name());
        node.put("CreationDate", Instant.ofEpochMilli(vault.created()).toString());
        node.put("NumberOfArchives", vault.archives());
        node.put("SizeInBytes", vault.bytes());
        return node;
    }

    private HttpService.Response describeVault(String vault) throws GlacierException, IOException {
        return json(200, vaultJson(vaults.describeVault(vault)));
    }

    private HttpService.Response listVaults() throws IOException {
        ObjectNode output = json.createObjectNode();
        ArrayNode list = output.putArray("VaultList");
        for (String name : vaults.vaultNames()) {
            try {
                list.add(vaultJson(vaults.describeVault(name)));
            } catch (GlacierException e) {
                // Removed between listing and describing: not listed.
            }
        }
        return json(200, output);
    }

    private HttpService.Response created(Archive archive, String vault) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", "/" + accountId + "/vaults/" + vault + "/archives/" + archive.id());
        headers.put("x-amz-archive-id", archive.id());
        headers.put("x-amz-sha256-tree-hash", archive.treeHash());
        return empty(201, headers);
    }

    private HttpService.Response initiateUpload(HttpService.Request request, String vault)
            throws GlacierException, IOException {
        GlacierVaults.Upload upload = vaults.initiateUpload(vault, request.header("x-amz-archive-description"),
                parseLong(request.header("x-amz-part-size"), "x-amz-part-size"));
        return empty(201, Map.of("Location", "/" + accountId + "/vaults/" + vault + "/multipart-uploads/"
                + upload.id(), "x-amz-multipart-upload-id", upload.id()));
    }

    private HttpService.Response uploadPart(HttpService.Request request, String vault, String uploadId)
            throws GlacierException, IOException {
        String range = request.header("Content-Range");
        Matcher matcher = range == null ? null : CONTENT_RANGE.matcher(range);
        if (matcher == null || !matcher.matches()) {
            throw new GlacierException("InvalidParameterValueException", 400,
                    "Content-Range must be bytes FIRST-LAST/*, was " + range);
        }
        long first = Long.parseLong(matcher.group(1));
        if (Long.parseLong(matcher.group(2)) - first + 1 != request.body().length) {
            throw new GlacierException("InvalidParameterValueException", 400, "Content-Range " + range
                    + " does not match the " + request.body().length + " bytes sent");
        }
        vaults.uploadPart(vault, uploadId, first, request.body(), request.header("x-amz-sha256-tree-hash"));
        return empty(204, Map.of("x-amz-sha256-tree-hash", TreeHash.of(request.body())));
    }

    private HttpService.Response initiateJob(HttpService.Request request, String vault)
            throws GlacierException, IOException {
        JsonNode parameters = json.readTree(request.body().length == 0 ? "{}".getBytes() : request.body());
        String type = parameters.path("Type").asText("");
        if (!type.equals("archive-retrieval")) {
            throw new GlacierException("InvalidParameterValueException", 400, "this emulation runs archive-retrieval"
                    + " jobs only, not \"" + type + "\"");
        }
        if (parameters.hasNonNull("RetrievalByteRange") || parameters.hasNonNull("SelectParameters")) {
            throw new GlacierException("InvalidParameterValueException", 400,
                    "this emulation retrieves whole archives: RetrievalByteRange and SelectParameters are not"
                            + " supported");
        }
        Job job = vaults.initiateRetrieval(vault, parameters.path("ArchiveId").asText(""),
                parameters.path("Description").asText(null), parameters.path("Tier").asText(null));
        return empty(202, Map.of("Location", "/" + accountId + "/vaults/" + vault + "/jobs/" + job.id(),
                "x-amz-job-id", job.id()));
    }

    private ObjectNode describe(String vault, Job job) throws GlacierException, IOException {
        boolean done = job.completed(vaults.now());
        ObjectNode node = json.createObjectNode();
        node.put("JobId", job.id());
        if (job.description() != null) {
            node.put("JobDescription", job.description());
        }
        node.put("Action", "ArchiveRetrieval");
        node.put("ArchiveId", job.archiveId());
        node.put("VaultARN", vaultArn(vault));
        node.put("CreationDate", Instant.ofEpochMilli(job.created()).toString());
        node.put("Completed", done);
        node.put("StatusCode", done ? "Succeeded" : "InProgress");
        node.put("Tier", job.tier());
        vaults.archive(vault, job.archiveId()).ifPresent(archive -> {
            node.put("ArchiveSizeInBytes", archive.size());
            node.put("ArchiveSHA256TreeHash", archive.treeHash());
            node.put("SHA256TreeHash", archive.treeHash());
        });
        if (done) {
            node.put("CompletionDate", Instant.ofEpochMilli(job.completesAt()).toString());
        }
        return node;
    }

    private HttpService.Response listJobs(String vault) throws GlacierException, IOException {
        ObjectNode output = json.createObjectNode();
        ArrayNode list = output.putArray("JobList");
        for (Job job : vaults.jobs(vault)) {
            list.add(describe(vault, job));
        }
        return json(200, output);
    }

    private HttpService.Response jobOutput(HttpService.Request request, String vault, String jobId)
            throws GlacierException, IOException {
        Job job = vaults.job(vault, jobId);
        if (!job.completed(vaults.now())) {
            throw new GlacierException("InvalidParameterValueException", 400, "The job is not currently available"
                    + " for download: it completes at " + Instant.ofEpochMilli(job.completesAt()));
        }
        Archive archive = vaults.archive(vault, job.archiveId()).orElseThrow(() -> new GlacierException(
                "ResourceNotFoundException", 404, "the job's archive was deleted: " + job.archiveId()));
        Path data = vaults.archiveData(vault, archive.id());
        long size = Files.size(data);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept-Ranges", "bytes");
        if (archive.description() != null) {
            headers.put("x-amz-archive-description", archive.description());
        }
        String range = request.header("Range");
        if (range == null) {
            headers.put("x-amz-sha256-tree-hash", archive.treeHash());
            return HttpService.Response.ofFile(200, "application/octet-stream", headers, data, 0, size);
        }
        Matcher matcher = RANGE.matcher(range);
        if (!matcher.matches()) {
            throw new GlacierException("InvalidParameterValueException", 400, "Range must be bytes=FIRST-[LAST]");
        }
        long first = Long.parseLong(matcher.group(1));
        long last = matcher.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(matcher.group(2)));
        if (first > last) {
            throw new GlacierException("InvalidParameterValueException", 400, "Range " + range + " is outside the "
                    + size + "-byte archive");
        }
        headers.put("Content-Range", "bytes " + first + "-" + last + "/" + size);
        return HttpService.Response.ofFile(206, "application/octet-stream", headers, data, first, last - first + 1);
    }

    private static long parseLong(String value, String header) throws GlacierException {
        if (value == null) {
            throw new GlacierException("MissingParameterValueException", 400, "Required header " + header
                    + " is absent.");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new GlacierException("InvalidParameterValueException", 400, header + " is not a number: " + value);
        }
    }

    private static HttpService.Response unsupported(HttpService.Request request) throws GlacierException {
        throw new GlacierException("UnsupportedOperationException", 400, "the Glacier emulation does not support "
                + request.method() + " " + request.path());
    }

    private static HttpService.Response empty(int status, Map<String, String> headers) {
        return new HttpService.Response(status, JSON, headers, new byte[0]);
    }

    private HttpService.Response json(int status, JsonNode body) throws IOException {
        return new HttpService.Response(status, JSON, Map.of(), json.writeValueAsBytes(body));
    }

    private HttpService.Response error(String code, int status, String message) {
        ObjectNode body = json.createObjectNode().put("code", code).put("message", message)
                .put("type", status >= 500 ? "Server" : "Client");
        return new HttpService.Response(status, JSON, Map.of("x-amzn-ErrorType", code),
                body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** For tests and the shelf: the vaults this emulation keeps. */
    GlacierVaults vaults() {
        return vaults;
    }
}
