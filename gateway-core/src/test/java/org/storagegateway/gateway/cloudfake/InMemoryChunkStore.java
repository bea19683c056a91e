package org.storagegateway.gateway.cloudfake;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.storagegateway.gateway.cloud.ChunkRef;
import org.storagegateway.gateway.cloud.ChunkStore;

/** Chunks as raw objects named by SHA-256 in an {@link InMemoryObjectStore}, for unit tests only. */
public final class InMemoryChunkStore implements ChunkStore {
    private final InMemoryObjectStore store;
    private final AtomicLong uploads = new AtomicLong();

    public InMemoryChunkStore(InMemoryObjectStore store) {
        this.store = store;
    }

    /** Chunk objects actually written (existing ones found by {@code mayExist} are not counted). */
    public long uploads() {
        return uploads.get();
    }

    @Override
    public ChunkRef refOf(byte[] chunk, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(chunk, 0, length);
            return new ChunkRef(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ChunkRef put(byte[] chunk, int length, boolean mayExist) throws IOException {
        ChunkRef ref = refOf(chunk, length);
        if (mayExist && store.exists(keyOf(ref))) {
            return ref;
        }
        store.put(keyOf(ref), Arrays.copyOf(chunk, length));
        uploads.incrementAndGet();
        return ref;
    }

    @Override
    public void putAs(ChunkRef ref, byte[] chunk, int length) throws IOException {
        store.put(keyOf(ref), Arrays.copyOf(chunk, length));
        uploads.incrementAndGet();
    }

    @Override
    public int get(ChunkRef ref, byte[] destination) throws IOException {
        byte[] data = store.get(keyOf(ref)).orElseThrow(() -> new IOException("no chunk " + ref));
        System.arraycopy(data, 0, destination, 0, data.length);
        Arrays.fill(destination, data.length, destination.length, (byte) 0);
        return data.length;
    }

    @Override
    public boolean exists(ChunkRef ref) throws IOException {
        return store.exists(keyOf(ref));
    }

    @Override
    public void delete(ChunkRef ref) throws IOException {
        store.delete(keyOf(ref));
    }

    @Override
    public String keyOf(ChunkRef ref) {
        String hex = ref.hex();
        return "chunks/" + hex.substring(0, 2) + "/" + hex;
    }
}
