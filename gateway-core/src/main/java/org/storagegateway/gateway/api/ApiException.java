package org.storagegateway.gateway.api;

/**
 * A request the management API refuses, as the AWS JSON protocol reports it: an error type ({@code __type}), an HTTP
 * status, a message, and for the Storage Gateway's own exceptions an error code from the service model.
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final int status;
    private final String errorCode;

    private ApiException(String type, int status, String errorCode, String message) {
        super(message);
        this.type = type;
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The service's InvalidGatewayRequestException with one of the model's error codes (InvalidParameters...). */
    public static ApiException invalidRequest(String errorCode, String message) {
        return new ApiException("InvalidGatewayRequestException", 400, errorCode, message);
    }

    /** The service's InternalServerError: the request was valid, the gateway failed it. */
    public static ApiException internal(String message) {
        return new ApiException("InternalServerError", 500, "InternalError", message);
    }

    /** A failure of the protocol itself, before any operation ran (signature, body, unknown operation). */
    public static ApiException protocol(String type, int status, String message) {
        return new ApiException(type, status, null, message);
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** The model's error code, or null for protocol errors. */
    public String errorCode() {
        return errorCode;
    }
}
