package org.storagegateway.gateway.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3-compatible server the appliance runs in-process when no endpoint is configured (S3Proxy over a directory),
 * so that the one-command run needs no cloud account and goes through the same SDK calls, over HTTP, as against AWS.
 * It listens on loopback and takes SigV4 (or V2) with the key pair the settings give, so the AWS CLI can list it.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);
    private static final long START_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts the server and waits until it listens. */
    public static EmbeddedS3 start(ObjectStoreSettings.Embedded settings) {
        try {
            Files.createDirectories(settings.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the embedded S3 server's objects in "
                    + settings.directory(), e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", settings.directory().toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .endpoint(URI.create("http://" + settings.bind() + ":" + settings.port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, settings.accessKey(), settings.secretKey())
                .build();
        try {
            proxy.start();
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the embedded S3 server did not start within 30 s");
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(proxy);
            throw new IllegalStateException("interrupted while starting the embedded S3 server", e);
        } catch (Exception e) {
            stopQuietly(proxy);
            throw new IllegalStateException("the embedded S3 server cannot listen on " + settings.bind() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        URI endpoint = URI.create("http://" + settings.bind() + ":" + proxy.getPort());
        LOG.info("Embedded S3 server on {} keeping objects in {}; to look: AWS_ACCESS_KEY_ID={}"
                + " AWS_SECRET_ACCESS_KEY=... aws --endpoint-url {} s3 ls", endpoint, settings.directory(),
                settings.accessKey(), endpoint);
        return new EmbeddedS3(proxy, endpoint);
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    @Override
    public void close() {
        stopQuietly(proxy);
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the embedded S3 server failed: {}", e.toString());
        }
    }
}
