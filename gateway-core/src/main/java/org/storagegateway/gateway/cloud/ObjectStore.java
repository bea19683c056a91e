package org.storagegateway.gateway.cloud;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A bucket (and key prefix) of an S3-compatible object store, as the gateway uses it: whole small objects by key.
 * Keys are relative to the store's prefix. Implementations retry transient failures themselves and throw
 * {@link ObjectStoreException} once they give up; a missing object is not an error.
 */
public interface ObjectStore extends AutoCloseable {
    /** One listed object: its key, size in bytes, and when the store last wrote it. */
    record ObjectInfo(String key, long size, Instant lastModified) {
    }

    /** Stores {@code data} under {@code key}, replacing what was there; returns once the store confirmed it. */
    void put(String key, byte[] data) throws IOException;

    /**
     * Stores the first {@code length} bytes of {@code data}, so that a caller can encode objects of any size into
     * one reused buffer; the store reads them before it returns and keeps no reference.
     */
    default void put(String key, byte[] data, int length) throws IOException {
        put(key, length == data.length ? data : Arrays.copyOf(data, length));
    }

    /** The object's bytes, or empty when there is none. */
    Optional<byte[]> get(String key) throws IOException;

    /** Whether an object exists under {@code key}. */
    boolean exists(String key) throws IOException;

    /** Every object under {@code prefix} (keys relative, like the others), in lexicographic order of key. */
    List<ObjectInfo> list(String prefix) throws IOException;

    /** Deletes the object; deleting a missing one is not an error. */
    void delete(String key) throws IOException;

    /** A readable name for messages: endpoint, bucket and prefix. */
    String describe();

    @Override
    void close();
}
