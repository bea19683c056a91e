package org.storagegateway.gateway.cloud;

import java.io.IOException;

/**
 * Chunk contents in the object store, named by their digest ({@link ChunkRef}): compressed, and sealed when
 * encryption at rest is configured. Identical chunks, in any volume or snapshot, are one object.
 */
public interface ChunkStore {
    /** The digest {@link #put} would name these bytes with, without uploading anything. */
    ChunkRef refOf(byte[] chunk, int length);

    /**
     * Uploads {@code length} bytes of {@code chunk} under their digest and returns it, once the store confirmed the
     * object. When {@code mayExist} is true the store is asked first and an existing object is not uploaded again.
     */
    ChunkRef put(byte[] chunk, int length, boolean mayExist) throws IOException;

    /**
     * Uploads {@code length} bytes of {@code chunk} under {@code ref}, which the caller computed with
     * {@link #refOf} (an uploader that needs the name before deciding to upload hashes once, not twice).
     */
    void putAs(ChunkRef ref, byte[] chunk, int length) throws IOException;

    /**
     * Fills {@code destination} with the chunk's bytes and returns how many there were (a chunk shorter than the
     * destination reads as its bytes followed by zeros). Throws when the object is missing or fails its checks.
     */
    int get(ChunkRef ref, byte[] destination) throws IOException;

    /** Whether the object exists. */
    boolean exists(ChunkRef ref) throws IOException;

    /** Deletes the object (garbage collection only: the caller proved nothing references it). */
    void delete(ChunkRef ref) throws IOException;

    /** The object key a ref is stored under, for listings and the documented layout. */
    String keyOf(ChunkRef ref);
}
