package org.storagegateway.gateway.cloud;

import java.io.IOException;

/** The object store failed a request, after retries where the failure was transient. */
public class ObjectStoreException extends IOException {
    private final boolean transientFailure;

    public ObjectStoreException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Whether trying again later may succeed (the store was unreachable or busy, not refusing the request). */
    public boolean isTransient() {
        return transientFailure;
    }
}
