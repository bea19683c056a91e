package org.storagegateway.cache.store;

import java.io.IOException;

/** The cache holds a value it cannot have written: the read fails rather than return wrong data. */
public final class CorruptCacheException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptCacheException(String message) {
        super("cache corrupt: " + message);
    }
}
