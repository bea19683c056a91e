package org.storagegateway.gateway.cloud;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} on a bucket of AWS S3 or an S3-compatible store (MinIO, Ceph RGW, S3Proxy) through the AWS
 * SDK's S3 client. Checksums are computed and checked only where S3 requires them: newer SDKs otherwise send
 * trailing CRC32 checksums in chunked uploads that several S3-compatible stores refuse. Transient failures
 * (unreachable, 5xx, throttling) are retried with exponential backoff and jitter for up to {@link #RETRY_BUDGET};
 * refusals (403, 400) fail at once. Transfers take their bytes from the bandwidth limiters first.
 */
public final class S3ObjectStore implements ObjectStore {
    /** How long one call keeps retrying transient failures before it gives up (the uploader tries again later). */
    public static final Duration RETRY_BUDGET = Duration.ofSeconds(30);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String description;
    private final BandwidthLimiter uploads;
    private final BandwidthLimiter downloads;
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicLong bytesDownloaded = new AtomicLong();
    private final AtomicLong lastDownloadNanos = new AtomicLong();

    S3ObjectStore(S3Client s3, String bucket, String prefix, String description, BandwidthLimiter uploads,
                  BandwidthLimiter downloads) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.description = description;
        this.uploads = uploads;
        this.downloads = downloads;
    }

    /** A client for the settings' endpoint, region and credentials (the SDK's chain when none are given). */
    public static S3Client client(ObjectStoreSettings settings, URI endpoint) {
        AwsCredentialsProvider credentials = settings.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(),
                        settings.secretAccessKey()));
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(settings.maxConcurrency())
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private String key(String relative) {
        return prefix + relative;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        put(key, data, data.length);
    }

    /** Streams the caller's bytes as they are: {@code RequestBody.fromBytes} would copy every object once more. */
    @Override
    public void put(String key, byte[] data, int length) throws IOException {
        acquire(uploads, length);
        RequestBody body = RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                "application/octet-stream");
        retrying("put " + key, () -> s3.putObject(r -> r.bucket(bucket).key(key(key)).contentLength((long) length),
                body));
        bytesUploaded.addAndGet(length);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        long started = System.nanoTime();
        byte[] data = retrying("get " + key, () -> {
            try {
                return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key(key))).asByteArray();
            } catch (NoSuchKeyException e) {
                return null;
            }
        });
        if (data == null) {
            return Optional.empty();
        }
        lastDownloadNanos.set(System.nanoTime() - started);
        bytesDownloaded.addAndGet(data.length);
        acquire(downloads, data.length);
        return Optional.of(data);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return retrying("head " + key, () -> {
            try {
                s3.headObject(r -> r.bucket(bucket).key(key(key)));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public List<ObjectInfo> list(String keyPrefix) throws IOException {
        List<ObjectInfo> objects = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = retrying("list " + keyPrefix, () -> s3.listObjectsV2(r -> r.bucket(bucket)
                    .prefix(key(keyPrefix)).continuationToken(continuation)));
            for (S3Object object : page.contents()) {
                objects.add(new ObjectInfo(object.key().substring(prefix.length()), object.size(),
                        object.lastModified()));
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return objects;
    }

    @Override
    public void delete(String key) throws IOException {
        retrying("delete " + key, () -> s3.deleteObject(r -> r.bucket(bucket).key(key(key))));
    }

    @Override
    public String describe() {
        return description;
    }

    /** Bytes moved and the latest download's time, for the CloudBytes* and CloudDownloadLatency metrics. */
    public record Traffic(long bytesUploaded, long bytesDownloaded, long lastDownloadMillis) {
    }

    public Traffic traffic() {
        return new Traffic(bytesUploaded.get(), bytesDownloaded.get(),
                TimeUnit.NANOSECONDS.toMillis(lastDownloadNanos.get()));
    }

    /** The upload limiter, changeable at run time. */
    public BandwidthLimiter uploadLimiter() {
        return uploads;
    }

    /** The download limiter, changeable at run time. */
    public BandwidthLimiter downloadLimiter() {
        return downloads;
    }

    S3Client client() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    @Override
    public void close() {
        s3.close();
    }

    private static void acquire(BandwidthLimiter limiter, long bytes) throws InterruptedIOException {
        try {
            limiter.acquire(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for bandwidth");
        }
    }

    /** One call to S3. */
    @FunctionalInterface
    private interface Call<T> {
        T run();
    }

    private <T> T retrying(String what, Call<T> call) throws IOException {
        long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            try {
                return call.run();
            } catch (SdkException e) {
                boolean transientFailure = isTransient(e);
                if (!transientFailure || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > deadline) {
                    throw new ObjectStoreException(description + ": " + what + " failed: " + message(e),
                            transientFailure, e);
                }
                try {
                    Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(what + " interrupted while waiting to retry");
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** Unreachable, a server error or throttling: worth trying again later. */
    static boolean isTransient(SdkException e) {
        if (e instanceof S3Exception s3) {
            return s3.statusCode() >= 500 || s3.statusCode() == 429 || s3.statusCode() == 408;
        }
        return e instanceof SdkClientException;
    }

    static String message(SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            return s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + ": " + s3.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }
}
