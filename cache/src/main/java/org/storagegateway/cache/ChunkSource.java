package org.storagegateway.cache;

import java.io.IOException;

/**
 * Where a volume's chunks are while the cache does not hold them: the object store. The cache keeps, for each chunk
 * uploaded, the remote reference the uploader gave it ({@link CachedVolume#markUploaded}), and asks the source for
 * that content when it lacks pages of the chunk.
 */
@FunctionalInterface
public interface ChunkSource {
    /**
     * Fills {@code chunk} (one chunk's bytes) with the content named {@code remoteRef} of chunk {@code index}.
     * Returns false when the store holds nothing under that name, in which case the chunk reads as zeros and
     * {@code chunk} is left alone; throws when the store cannot be read (the read that needed it fails).
     */
    boolean read(long index, byte[] remoteRef, byte[] chunk) throws IOException;
}
