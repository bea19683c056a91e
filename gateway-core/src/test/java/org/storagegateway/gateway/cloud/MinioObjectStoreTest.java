package org.storagegateway.gateway.cloud;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same contract against MinIO in a container, where a Docker engine runs (skipped cleanly where none does). */
@Testcontainers(disabledWithoutDocker = true)
class MinioObjectStoreTest extends ObjectStoreContract {
    private static MinIOContainer minio;
    private int buckets;

    @BeforeAll
    static void start() {
        minio = new MinIOContainer("minio/minio:RELEASE.2024-10-13T13-34-11Z");
        minio.start();
    }

    @AfterAll
    static void stop() {
        if (minio != null) {
            minio.stop();
        }
    }

    @Override
    protected S3ObjectStore store(String prefix) {
        String bucket = "contract-" + buckets++;
        ObjectStoreSettings settings = new ObjectStoreSettings(URI.create(minio.getS3URL()), "us-east-1", bucket,
                prefix, true, minio.getUserName(), minio.getPassword(), Map.of(), null, 0, 0, 8, null);
        S3ObjectStore.client(settings, settings.endpoint()).createBucket(r -> r.bucket(bucket));
        return CloudStore.open(settings).s3();
    }
}
