package org.storagegateway.gateway.cloud;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest: every object is sealed with AES-256-GCM before it leaves, under the active key, with a random
 * 96-bit nonce of its own, and the key id and the object's key bound in as associated data (so an object copied to
 * another key fails to open). Layout: magic {@code SGWE}, version, key id length and key id, nonce, then ciphertext
 * with its 16-byte tag. Opening checks the tag; an object sealed with a key not configured, tampered with, or not
 * sealed at all is refused with an error naming it: a store that silently read unsealed objects would let whoever
 * can write the bucket feed the gateway data.
 */
public final class SealedObjectStore implements ObjectStore {
    private static final byte[] MAGIC = "SGWE".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final ObjectStore store;
    private final Map<String, byte[]> keys;
    private final String activeKeyId;
    private final SecureRandom random = new SecureRandom();

    public SealedObjectStore(ObjectStore store, Map<String, byte[]> keys, String activeKeyId) {
        for (Map.Entry<String, byte[]> key : keys.entrySet()) {
            if (key.getValue().length != 32) {
                throw new IllegalArgumentException("encryption key " + key.getKey() + " is " + key.getValue().length
                        + " bytes; AES-256 needs 32");
            }
        }
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("the active key " + activeKeyId + " is not configured");
        }
        this.store = store;
        this.keys = Map.copyOf(keys);
        this.activeKeyId = activeKeyId;
    }

    /** The key id new objects are sealed with (recorded in manifests). */
    public String activeKeyId() {
        return activeKeyId;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        put(key, data, data.length);
    }

    @Override
    public void put(String key, byte[] data, int length) throws IOException {
        store.put(key, seal(key, data, length));
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Optional<byte[]> sealed = store.get(key);
        return sealed.isEmpty() ? sealed : Optional.of(open(key, sealed.get()));
    }

    @Override
    public boolean exists(String key) throws IOException {
        return store.exists(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return store.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        store.delete(key);
    }

    @Override
    public String describe() {
        return store.describe() + ", sealed with key " + activeKeyId;
    }

    @Override
    public void close() {
        store.close();
    }

    byte[] seal(String objectKey, byte[] data) throws IOException {
        return seal(objectKey, data, data.length);
    }

    private byte[] seal(String objectKey, byte[] data, int length) throws IOException {
        byte[] keyId = activeKeyId.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), nonce, keyId, objectKey);
            ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + keyId.length + NONCE_BYTES
                    + cipher.getOutputSize(length));
            out.put(MAGIC).put(VERSION).put((byte) keyId.length).put(keyId).put(nonce);
            cipher.doFinal(ByteBuffer.wrap(data, 0, length), out);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot seal " + objectKey + ": " + e.getMessage(), e);
        }
    }

    byte[] open(String objectKey, byte[] sealed) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(sealed);
        byte[] magic = new byte[MAGIC.length];
        if (sealed.length < MAGIC.length + 2 + NONCE_BYTES + TAG_BITS / 8) {
            throw new IOException("object " + objectKey + " is not sealed (" + sealed.length + " bytes): refused");
        }
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC) || in.get() != VERSION) {
            throw new IOException("object " + objectKey + " is not sealed by this gateway's format: refused");
        }
        byte[] keyId = new byte[in.get() & 0xff];
        in.get(keyId);
        String id = new String(keyId, StandardCharsets.UTF_8);
        byte[] key = keys.get(id);
        if (key == null) {
            throw new IOException("object " + objectKey + " is sealed with key " + id + ", which is not configured");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, keyId, objectKey);
            ByteBuffer out = ByteBuffer.allocate(cipher.getOutputSize(in.remaining()));
            cipher.doFinal(in, out);
            return out.array();
        } catch (AEADBadTagException e) {
            throw new IOException("object " + objectKey + " fails its authentication under key " + id
                    + ": altered, or not this object", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open " + objectKey + ": " + e.getMessage(), e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] keyId, String objectKey)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(keyId);
        cipher.updateAAD(objectKey.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
