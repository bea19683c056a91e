package org.storagegateway.cache.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.storagegateway.cache.ChunkSource;

/**
 * A stand-in object store on local files, one per uploaded chunk, that survives the writer's SIGKILL as the real one
 * would. An upload replaces an object whole (written aside, then renamed), so a kill mid-upload leaves the old one.
 */
final class ObjectDirectory implements ChunkSource {
    private static final String PARTIAL = ".partial";
    private final Path directory;
    private final int chunkSize;
    /** Which objects exist. */
    private final Set<Long> present = ConcurrentHashMap.newKeySet();

    private ObjectDirectory(Path directory, int chunkSize) {
        this.directory = directory;
        this.chunkSize = chunkSize;
    }

    /** Opens the directory, creating it, and drops uploads that a kill interrupted. */
    static ObjectDirectory open(Path directory, int chunkSize) throws IOException {
        Files.createDirectories(directory);
        ObjectDirectory objects = new ObjectDirectory(directory, chunkSize);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(PARTIAL)) {
                    Files.delete(file);
                } else {
                    objects.present.add(Long.parseLong(name));
                }
            }
        }
        return objects;
    }

    private Path object(long index) {
        return directory.resolve(Long.toString(index));
    }

    /** Uploads a chunk's image. */
    void put(long index, byte[] chunk) throws IOException {
        Path partial = directory.resolve(index + PARTIAL);
        Files.write(partial, chunk);
        Files.move(partial, object(index), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        present.add(index);
    }

    /** Removes a chunk's object: an uploader keeps nothing for a chunk of zeros. */
    void delete(long index) throws IOException {
        present.remove(index);
        Files.deleteIfExists(object(index));
    }

    /** The object of a chunk, or null. */
    byte[] get(long index) throws IOException {
        return present.contains(index) ? Files.readAllBytes(object(index)) : null;
    }

    /** The remote reference an upload of chunk {@code index} records: its index names its file. */
    static byte[] refOf(long index) {
        return ByteBuffer.allocate(Long.BYTES).putLong(index).array();
    }

    @Override
    public boolean read(long index, byte[] remoteRef, byte[] chunk) throws IOException {
        if (ByteBuffer.wrap(remoteRef).getLong() != index) {
            throw new IOException("chunk " + index + " asked under another chunk's reference");
        }
        byte[] data = get(index);
        if (data == null) {
            return false;
        }
        if (data.length != chunkSize) {
            throw new IOException("object " + index + " holds " + data.length + " bytes, not one chunk");
        }
        System.arraycopy(data, 0, chunk, 0, chunkSize);
        return true;
    }
}
