package org.storagegateway.gateway.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.storagegateway.model.StorageGatewayException;

/** Reads what the SDK's exceptions leave out of the service's errors. */
public final class ApiErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiErrors() {
    }

    /** The model's error code ({@code error.errorCode}): this SDK's exception classes drop the member. */
    public static String errorCode(StorageGatewayException e) {
        try {
            return JSON.readTree(e.awsErrorDetails().rawResponse().asUtf8String()).get("error").get("errorCode")
                    .asText();
        } catch (IOException parse) {
            throw new AssertionError("the error response is not JSON", parse);
        }
    }
}
