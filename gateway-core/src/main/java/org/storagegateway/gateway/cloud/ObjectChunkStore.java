package org.storagegateway.gateway.cloud;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Chunk contents as objects {@code chunks/<2 hex>/<64 hex>}, named by their digest so that identical chunks are one
 * object: SHA-256 of the plain bytes, or, with encryption at rest, HMAC-SHA-256 under a key derived from the active
 * encryption key (a plain digest would let anyone holding the bucket confirm a guess of a chunk's content). The
 * two-hex fan-out spreads keys over S3's partitions. An object is a header (magic {@code SGWC}, format version,
 * codec raw or LZ4, plain length) and the payload, LZ4-compressed when that makes it smaller. A read checks the
 * digest of what it decoded, so a damaged or misplaced object is an error, never wrong data.
 */
public final class ObjectChunkStore implements ChunkStore {
    private static final byte[] MAGIC = "SGWC".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final byte RAW = 0;
    private static final byte LZ4 = 1;
    private static final int HEADER = MAGIC.length + 1 + 1 + 4;

    private final ObjectStore store;
    private final byte[] namingKey;
    private final LZ4Compressor compressor = LZ4Factory.fastestInstance().fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4Factory.fastestInstance().safeDecompressor();
    private final ThreadLocal<byte[]> encodeBuffers = new ThreadLocal<>();

    /** {@code encryptionKey}: the active encryption key, from which the naming key derives; null for plain SHA-256. */
    public ObjectChunkStore(ObjectStore store, byte[] encryptionKey) {
        this.store = store;
        byte[] label = "storage-gateway chunk names".getBytes(StandardCharsets.US_ASCII);
        this.namingKey = encryptionKey == null ? null : hmac(encryptionKey, label, 0, label.length);
    }

    @Override
    public ChunkRef refOf(byte[] chunk, int length) {
        if (namingKey != null) {
            return new ChunkRef(hmac(namingKey, chunk, 0, length));
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(chunk, 0, length);
            return new ChunkRef(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, offset, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    @Override
    public String keyOf(ChunkRef ref) {
        String hex = ref.hex();
        return "chunks/" + hex.substring(0, 2) + "/" + hex;
    }

    @Override
    public ChunkRef put(byte[] chunk, int length, boolean mayExist) throws IOException {
        ChunkRef ref = refOf(chunk, length);
        if (mayExist && store.exists(keyOf(ref))) {
            return ref;
        }
        putAs(ref, chunk, length);
        return ref;
    }

    @Override
    public void putAs(ChunkRef ref, byte[] chunk, int length) throws IOException {
        byte[] buffer = encodeBuffer(length);
        store.put(keyOf(ref), buffer, encode(chunk, length, buffer));
    }

    /**
     * This thread's buffer for encoding objects, grown to fit: a chunk-sized array per upload is a "humongous"
     * allocation for the garbage collector, and uploads run on a fixed pool of threads, so one buffer each is enough.
     */
    private byte[] encodeBuffer(int length) {
        int size = HEADER + compressor.maxCompressedLength(length);
        byte[] buffer = encodeBuffers.get();
        if (buffer == null || buffer.length < size) {
            buffer = new byte[size];
            encodeBuffers.set(buffer);
        }
        return buffer;
    }

    byte[] encode(byte[] chunk, int length) {
        byte[] buffer = new byte[HEADER + compressor.maxCompressedLength(length)];
        return Arrays.copyOf(buffer, encode(chunk, length, buffer));
    }

    /** Encodes into {@code object} (large enough for LZ4's worst case) and returns the object's length. */
    private int encode(byte[] chunk, int length, byte[] object) {
        int size = compressor.compress(chunk, 0, length, object, HEADER);
        boolean useLz4 = size < length;
        if (!useLz4) {
            System.arraycopy(chunk, 0, object, HEADER, length);
        }
        ByteBuffer.wrap(object).put(MAGIC).put(VERSION).put(useLz4 ? LZ4 : RAW).putInt(length);
        return HEADER + (useLz4 ? size : length);
    }

    @Override
    public int get(ChunkRef ref, byte[] destination) throws IOException {
        String key = keyOf(ref);
        Optional<byte[]> object = store.get(key);
        if (object.isEmpty()) {
            throw new IOException("chunk object " + key + " is missing from " + store.describe());
        }
        int length = decode(key, object.get(), destination);
        if (!refOf(destination, length).equals(ref)) {
            throw new IOException("chunk object " + key + " does not hold the content it is named for");
        }
        Arrays.fill(destination, length, destination.length, (byte) 0);
        return length;
    }

    private int decode(String key, byte[] object, byte[] destination) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(object);
        byte[] magic = new byte[MAGIC.length];
        if (object.length < HEADER) {
            throw new IOException("chunk object " + key + " is truncated (" + object.length + " bytes)");
        }
        in.get(magic);
        byte version = in.get();
        byte codec = in.get();
        int length = in.getInt();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION) {
            throw new IOException("chunk object " + key + " is not in this gateway's chunk format");
        }
        if (length < 0 || length > destination.length) {
            throw new IOException("chunk object " + key + " holds " + length + " bytes, more than a chunk of "
                    + destination.length);
        }
        if (codec == RAW && object.length == HEADER + length) {
            System.arraycopy(object, HEADER, destination, 0, length);
            return length;
        }
        if (codec == LZ4) {
            try {
                int decoded = decompressor.decompress(object, HEADER, object.length - HEADER, destination, 0, length);
                if (decoded == length) {
                    return length;
                }
            } catch (LZ4Exception e) {
                throw new IOException("chunk object " + key + " does not decompress: " + e.getMessage(), e);
            }
        }
        throw new IOException("chunk object " + key + " is damaged (codec " + codec + ", " + object.length
                + " bytes for " + length + ")");
    }

    @Override
    public boolean exists(ChunkRef ref) throws IOException {
        return store.exists(keyOf(ref));
    }

    @Override
    public void delete(ChunkRef ref) throws IOException {
        store.delete(keyOf(ref));
    }
}
