package org.storagegateway.gateway.glacier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glacier.GlacierClient;
import software.amazon.awssdk.services.glacier.model.GetJobOutputResponse;
import software.amazon.awssdk.services.glacier.model.InvalidParameterValueException;
import software.amazon.awssdk.services.glacier.model.ResourceNotFoundException;

/** The Glacier emulation through the AWS SDK's own GlacierClient, over HTTP, SigV4-signed. */
class EmbeddedGlacierTest {
    private static final String KEY = "AKIAGLACIERTEST00001";
    private static final String SECRET = "glaciertestsecretglaciertestsecret000001";
    private static final Duration RETRIEVAL = Duration.ofMinutes(5);

    @TempDir
    Path directory;
    private final MovableClock clock = new MovableClock(Instant.now());
    private EmbeddedGlacier glacier;
    private GlacierClient client;

    /** A clock tests move forward: retrievals take minutes, tests do not. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void start() throws InterruptedException {
        glacier = new EmbeddedGlacier(directory, RETRIEVAL, Map.of(KEY, SECRET), "us-east-1", "123456789012", clock)
                .start(new InetSocketAddress("127.0.0.1", 0));
        client = GlacierClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + glacier.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        glacier.close();
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void anArchiveGoesUpInPartsAndComesBackOnlyAfterItsRetrievalDelay() {
        client.createVault(r -> r.accountId("-").vaultName("tapes"));
        int part = 1 << 20;
        byte[] archive = random(3 * part + 12345, 1);
        String uploadId = client.initiateMultipartUpload(r -> r.accountId("-").vaultName("tapes")
                .partSize(Integer.toString(part)).archiveDescription("TAPE0001")).uploadId();
        List<byte[]> leaves = new ArrayList<>();
        for (int offset = 0; offset < archive.length; offset += part) {
            byte[] bytes = Arrays.copyOfRange(archive, offset, Math.min(archive.length, offset + part));
            leaves.addAll(TreeHash.leaves(bytes, 0, bytes.length));
            String range = "bytes " + offset + "-" + (offset + bytes.length - 1) + "/*";
            client.uploadMultipartPart(r -> r.accountId("-").vaultName("tapes").uploadId(uploadId).range(range)
                    .checksum(TreeHash.of(bytes)), RequestBody.fromBytes(bytes));
        }
        String treeHash = TreeHash.root(leaves);
        assertEquals(TreeHash.of(archive), treeHash, "parts' leaves make the archive's tree");
        String archiveId = client.completeMultipartUpload(r -> r.accountId("-").vaultName("tapes")
                .uploadId(uploadId).archiveSize(Integer.toString(archive.length)).checksum(treeHash)).archiveId();
        assertEquals(archive.length, client.describeVault(r -> r.accountId("-").vaultName("tapes")).sizeInBytes());

        String jobId = client.initiateJob(r -> r.accountId("-").vaultName("tapes").jobParameters(
                p -> p.type("archive-retrieval").archiveId(archiveId).tier("Standard"))).jobId();
        assertFalse(client.describeJob(r -> r.accountId("-").vaultName("tapes").jobId(jobId)).completed());
        assertThrows(InvalidParameterValueException.class, () -> client.getJobOutputAsBytes(
                r -> r.accountId("-").vaultName("tapes").jobId(jobId)), "not before the retrieval delay");

        clock.advance(RETRIEVAL.plusSeconds(1));
        var job = client.describeJob(r -> r.accountId("-").vaultName("tapes").jobId(jobId));
        assertTrue(job.completed());
        assertEquals(treeHash, job.sha256TreeHash());
        ResponseBytes<GetJobOutputResponse> output = client.getJobOutputAsBytes(
                r -> r.accountId("-").vaultName("tapes").jobId(jobId));
        assertArrayEquals(archive, output.asByteArray());
        assertEquals(treeHash, output.response().checksum());
        assertEquals("TAPE0001", output.response().archiveDescription());
        byte[] tail = client.getJobOutputAsBytes(r -> r.accountId("-").vaultName("tapes").jobId(jobId)
                .range("bytes=" + (3 * part) + "-")).asByteArray();
        assertArrayEquals(Arrays.copyOfRange(archive, 3 * part, archive.length), tail);
    }

    @Test
    void wrongHashesMissingThingsAndAFullVaultAreRefusedAsGlacierRefusesThem() {
        client.createVault(r -> r.accountId("-").vaultName("shelf"));
        byte[] data = random(5000, 2);
        assertThrows(InvalidParameterValueException.class, () -> client.uploadArchive(r -> r.accountId("-")
                .vaultName("shelf").checksum(TreeHash.of(new byte[1])), RequestBody.fromBytes(data)));
        String archiveId = client.uploadArchive(r -> r.accountId("-").vaultName("shelf")
                .checksum(TreeHash.of(data)), RequestBody.fromBytes(data)).archiveId();
        assertThrows(ResourceNotFoundException.class, () -> client.describeVault(
                r -> r.accountId("-").vaultName("nowhere")));
        assertThrows(InvalidParameterValueException.class, () -> client.deleteVault(
                r -> r.accountId("-").vaultName("shelf")), "a vault with archives is not deleted");
        client.deleteArchive(r -> r.accountId("-").vaultName("shelf").archiveId(archiveId));
        assertThrows(ResourceNotFoundException.class, () -> client.initiateJob(r -> r.accountId("-")
                .vaultName("shelf").jobParameters(p -> p.type("archive-retrieval").archiveId(archiveId))));
        client.deleteVault(r -> r.accountId("-").vaultName("shelf"));
        assertEquals(0, client.listVaults(r -> r.accountId("-")).vaultList().size());
    }

    @Test
    void jobsAndArchivesOutliveARestart() throws InterruptedException {
        client.createVault(r -> r.accountId("-").vaultName("tapes"));
        byte[] data = random(70000, 3);
        String archiveId = client.uploadArchive(r -> r.accountId("-").vaultName("tapes")
                .checksum(TreeHash.of(data)), RequestBody.fromBytes(data)).archiveId();
        String jobId = client.initiateJob(r -> r.accountId("-").vaultName("tapes").jobParameters(
                p -> p.type("archive-retrieval").archiveId(archiveId))).jobId();
        stop();
        start();
        clock.advance(RETRIEVAL);
        assertArrayEquals(data, client.getJobOutputAsBytes(r -> r.accountId("-").vaultName("tapes").jobId(jobId))
                .asByteArray());
    }
}
