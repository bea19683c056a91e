package org.storagegateway.gateway.api;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.storagegateway.StorageGatewayClient;

/** The AWS SDK's Storage Gateway client, as tests point it at a management endpoint. */
public final class ApiClients {
    private ApiClients() {
    }

    /** A client of {@code endpoint} in us-east-1, signing with the key pair given. */
    public static StorageGatewayClient storageGateway(URI endpoint, String accessKeyId, String secret) {
        return StorageGatewayClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId,
                        secret)))
                .build();
    }

    /** A client of an appliance's management port on loopback. */
    public static StorageGatewayClient storageGateway(int port, String accessKeyId, String secret) {
        return storageGateway(URI.create("http://127.0.0.1:" + port), accessKeyId, secret);
    }
}
