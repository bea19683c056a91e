package org.storagegateway.gateway.volume;

import java.io.IOException;

import org.storagegateway.cache.ChunkSource;
import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.ChunkStore;

/**
 * The cache's source of chunks it does not hold: the chunk object the remote reference names. A missing object is
 * an error, not zeros: the reference says content was uploaded, so reading zeros would hide lost data.
 */
public final class RemoteChunkSource implements ChunkSource {
    private final ChunkStore chunks;

    public RemoteChunkSource(ChunkStore chunks) {
        this.chunks = chunks;
    }

    @Override
    public boolean read(long index, byte[] remoteRef, byte[] chunk) throws IOException {
        chunks.get(ChunkRef.decode(remoteRef), chunk);
        return true;
    }
}
