package org.storagegateway.gateway.cloudfake;

import java.io.IOException;

import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.ChunkStore;

/** A chunk store passing every call to another, for tests that watch or interrupt uploads (override {@link #putAs}). */
public abstract class ForwardingChunkStore implements ChunkStore {
    private final ChunkStore chunks;

    protected ForwardingChunkStore(ChunkStore chunks) {
        this.chunks = chunks;
    }

    @Override
    public ChunkRef refOf(byte[] chunk, int length) {
        return chunks.refOf(chunk, length);
    }

    /** Names the content and uploads it through {@link #putAs}, so an override of that sees every upload. */
    @Override
    public ChunkRef put(byte[] chunk, int length, boolean mayExist) throws IOException {
        ChunkRef ref = refOf(chunk, length);
        if (!mayExist || !exists(ref)) {
            putAs(ref, chunk, length);
        }
        return ref;
    }

    @Override
    public void putAs(ChunkRef ref, byte[] chunk, int length) throws IOException {
        chunks.putAs(ref, chunk, length);
    }

    @Override
    public int get(ChunkRef ref, byte[] destination) throws IOException {
        return chunks.get(ref, destination);
    }

    @Override
    public boolean exists(ChunkRef ref) throws IOException {
        return chunks.exists(ref);
    }

    @Override
    public void delete(ChunkRef ref) throws IOException {
        chunks.delete(ref);
    }

    @Override
    public String keyOf(ChunkRef ref) {
        return chunks.keyOf(ref);
    }
}
