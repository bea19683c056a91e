package org.storagegateway.gateway.cloud;

import java.net.URI;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The object store the appliance runs on, opened and checked: the embedded server when no endpoint is configured,
 * the S3 bucket (checked before anything is served, so wrong settings fail the start with a clear sentence rather
 * than the first upload), encryption at rest when configured, and the chunk store over it.
 */
public final class CloudStore implements AutoCloseable {
    private final EmbeddedS3 embedded;
    private final S3ObjectStore s3;
    private final ObjectStore objects;
    private final ChunkStore chunks;

    private CloudStore(EmbeddedS3 embedded, S3ObjectStore s3, ObjectStore objects, ChunkStore chunks) {
        this.embedded = embedded;
        this.s3 = s3;
        this.objects = objects;
        this.chunks = chunks;
    }

    /** Opens the store of {@code settings}; throws IllegalStateException saying what is wrong when it cannot. */
    public static CloudStore open(ObjectStoreSettings settings) {
        EmbeddedS3 embedded = settings.embedded() == null ? null : EmbeddedS3.start(settings.embedded());
        URI endpoint = embedded != null ? embedded.endpoint() : settings.endpoint();
        String where = (endpoint == null ? "AWS S3 (" + settings.region() + ")" : endpoint.toString()) + ", bucket "
                + settings.bucket() + (settings.prefix().isEmpty() ? "" : ", prefix " + settings.prefix());
        S3Client client = null;
        try {
            client = S3ObjectStore.client(settings, endpoint);
            checkBucket(client, settings.bucket(), where, embedded != null);
            S3ObjectStore s3 = new S3ObjectStore(client, settings.bucket(), settings.prefix(), where,
                    new BandwidthLimiter(settings.uploadRate()), new BandwidthLimiter(settings.downloadRate()));
            ObjectStore objects = settings.encrypted()
                    ? new SealedObjectStore(s3, settings.encryptionKeys(), settings.activeKeyId()) : s3;
            byte[] namingKey = settings.encrypted() ? settings.encryptionKeys().get(settings.activeKeyId()) : null;
            return new CloudStore(embedded, s3, objects, new ObjectChunkStore(objects, namingKey));
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    private static void checkBucket(S3Client client, String bucket, String where, boolean create) {
        try {
            client.headBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException e) {
            missing(client, bucket, where, create, e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                missing(client, bucket, where, create, e);
            } else if (e.statusCode() == 403 || e.statusCode() == 401) {
                throw new IllegalStateException("the object store refused the credentials (" + e.statusCode()
                        + "): " + where + "; check objectStore.accessKeyId and secretAccessKey", e);
            } else {
                throw new IllegalStateException("the object store answered " + e.statusCode() + " for " + where
                        + ": " + S3ObjectStore.message(e), e);
            }
        } catch (SdkClientException e) {
            throw new IllegalStateException("cannot reach the object store at " + where + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IllegalStateException("the object store at " + where + " failed: " + e.getMessage(), e);
        }
    }

    private static void missing(S3Client client, String bucket, String where, boolean create, Exception cause) {
        if (!create) {
            throw new IllegalStateException("the bucket does not exist: " + where + "; create it, or correct"
                    + " objectStore.bucket", cause);
        }
        client.createBucket(r -> r.bucket(bucket));
    }

    /** Objects by key (sealed when encryption at rest is on). */
    public ObjectStore objects() {
        return objects;
    }

    /** Chunk contents by digest. */
    public ChunkStore chunks() {
        return chunks;
    }

    /** The S3 side itself: bandwidth limiters and traffic counters. */
    public S3ObjectStore s3() {
        return s3;
    }

    /** The embedded server's endpoint, when it runs. */
    public URI embeddedEndpoint() {
        return embedded == null ? null : embedded.endpoint();
    }

    @Override
    public void close() {
        s3.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
