package org.storagegateway.gateway.glacier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The vaults, archives, multipart uploads and retrieval jobs of the embedded Glacier, on disk: each archive a file
 * with its metadata beside it, each part of an upload a file named by its offset, each job a small JSON file, every
 * one written aside and renamed into place, so that a crash leaves an object whole or absent and a restart finds the
 * jobs still running. A retrieval job completes {@code retrievalDelay} after it was started, as Glacier's take hours.
 */
public final class GlacierVaults {
    /** A refusal, as Glacier words it: its error code and HTTP status. */
    public static final class GlacierException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final int status;

        GlacierException(String code, int status, String message) {
            super(message);
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }
    }

    /** An archive's metadata; times are epoch milliseconds. */
    public record Archive(String id, String description, long size, String treeHash, long created) {
    }

    /** A multipart upload's metadata. */
    public record Upload(String id, String description, long partSize, long created) {
    }

    /** A retrieval job; it completes at {@code completesAt} (epoch milliseconds). */
    public record Job(String id, String archiveId, String description, String tier, long created,
                      long completesAt) {
        public boolean completed(Instant now) {
            return now.toEpochMilli() >= completesAt;
        }
    }

    /** A vault's metadata and totals. */
    public record Vault(String name, long created, long archives, long bytes) {
    }

    private static final String VAULT_NAME = "[A-Za-z0-9_.\\-]{1,255}";
    private static final HexFormat HEX = HexFormat.of();

    private final Path root;
    private final Duration retrievalDelay;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    public GlacierVaults(Path root, Duration retrievalDelay, Clock clock) {
        this.root = root;
        this.retrievalDelay = retrievalDelay;
        this.clock = clock;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep Glacier vaults in " + root, e);
        }
    }

    private String newId(int bytes) {
        byte[] id = new byte[bytes];
        random.nextBytes(id);
        return HEX.formatHex(id);
    }

    private Path vault(String name) throws GlacierException {
        if (!name.matches(VAULT_NAME)) {
            throw new GlacierException("InvalidParameterValueException", 400,
                    "a vault name is 1-255 of a-z A-Z 0-9 _ - ., not \"" + name + "\"");
        }
        return root.resolve(name);
    }

    private Path existingVault(String name) throws GlacierException {
        Path vault = vault(name);
        if (!Files.isDirectory(vault)) {
            throw new GlacierException("ResourceNotFoundException", 404, "Vault not found: " + name);
        }
        return vault;
    }

    /** Creates a vault; creating one that exists succeeds, as in Glacier. */
    public synchronized void createVault(String name) throws GlacierException, IOException {
        Path vault = vault(name);
        if (Files.isDirectory(vault)) {
            return;
        }
        Files.createDirectories(vault.resolve("archives"));
        Files.createDirectories(vault.resolve("uploads"));
        Files.createDirectories(vault.resolve("jobs"));
        writeJson(vault.resolve("vault.json"), clock.millis());
    }

    public synchronized Vault describeVault(String name) throws GlacierException, IOException {
        Path vault = existingVault(name);
        long created = json.readValue(vault.resolve("vault.json").toFile(), Long.class);
        long count = 0;
        long bytes = 0;
        for (Archive archive : archives(vault)) {
            count++;
            bytes += archive.size();
        }
        return new Vault(name, created, count, bytes);
    }

    public synchronized List<String> vaultNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> vaults = Files.newDirectoryStream(root, Files::isDirectory)) {
            vaults.forEach(vault -> names.add(vault.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    /** Deletes an empty vault; one with archives is refused, as in Glacier. */
    public synchronized void deleteVault(String name) throws GlacierException, IOException {
        Path vault = existingVault(name);
        if (!archives(vault).isEmpty()) {
            throw new GlacierException("InvalidParameterValueException", 400, "Vault not empty: " + name);
        }
        deleteTree(vault);
    }

    private List<Archive> archives(Path vault) throws IOException {
        List<Archive> archives = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(vault.resolve("archives"), "*.json")) {
            for (Path file : files) {
                archives.add(json.readValue(file.toFile(), Archive.class));
            }
        }
        return archives;
    }

    /** Stores an archive whose bytes must hash to {@code treeHash} (when given) and returns it. */
    public Archive uploadArchive(String vaultName, String description, byte[] data, String treeHash)
            throws GlacierException, IOException {
        Path vault = existingVault(vaultName);
        String computed = TreeHash.of(data);
        checkHash(treeHash, computed);
        Archive archive = new Archive(newId(32), description, data.length, computed, clock.millis());
        Path dataFile = vault.resolve("archives").resolve(archive.id() + ".data");
        writeDurably(dataFile, data);
        writeJson(vault.resolve("archives").resolve(archive.id() + ".json"), archive);
        return archive;
    }

    private static void checkHash(String claimed, String computed) throws GlacierException {
        if (claimed == null) {
            throw new GlacierException("MissingParameterValueException", 400,
                    "Required header or parameter x-amz-sha256-tree-hash is absent.");
        }
        if (!claimed.equalsIgnoreCase(computed)) {
            throw new GlacierException("InvalidParameterValueException", 400, "Checksum mismatch: expected "
                    + claimed + " but the data hashes to " + computed);
        }
    }

    public synchronized void deleteArchive(String vaultName, String archiveId) throws GlacierException, IOException {
        Path archives = existingVault(vaultName).resolve("archives");
        Path meta = archives.resolve(safeId(archiveId) + ".json");
        if (!Files.exists(meta)) {
            throw new GlacierException("ResourceNotFoundException", 404, "Archive not found: " + archiveId);
        }
        Files.delete(meta);
        Files.deleteIfExists(archives.resolve(archiveId + ".data"));
    }

    private static String safeId(String id) throws GlacierException {
        if (!id.matches("[0-9a-f]{16,128}")) {
            throw new GlacierException("ResourceNotFoundException", 404, "No such id: " + id);
        }
        return id;
    }

    /** Starts a multipart upload of parts of {@code partSize} bytes: a power of two from 1 MiB to 4 GiB. */
    public Upload initiateUpload(String vaultName, String description, long partSize)
            throws GlacierException, IOException {
        Path vault = existingVault(vaultName);
        if (partSize < TreeHash.MIB || partSize > (4L << 30) || Long.bitCount(partSize) != 1) {
            throw new GlacierException("InvalidParameterValueException", 400,
                    "Invalid part size: " + partSize + ". Part size must be a power of two, 1 MiB to 4 GiB.");
        }
        Upload upload = new Upload(newId(24), description, partSize, clock.millis());
        Path directory = vault.resolve("uploads").resolve(upload.id());
        Files.createDirectories(directory);
        writeJson(directory.resolve("upload.json"), upload);
        return upload;
    }

    private Path uploadDirectory(String vaultName, String uploadId) throws GlacierException {
        Path directory = existingVault(vaultName).resolve("uploads").resolve(safeId(uploadId));
        if (!Files.isDirectory(directory)) {
            throw new GlacierException("ResourceNotFoundException", 404, "Multipart upload not found: " + uploadId);
        }
        return directory;
    }

    /** Stores one part at {@code offset}; it must be a whole part, or the last one, and hash to {@code treeHash}. */
    public void uploadPart(String vaultName, String uploadId, long offset, byte[] data, String treeHash)
            throws GlacierException, IOException {
        Path directory = uploadDirectory(vaultName, uploadId);
        Upload upload = json.readValue(directory.resolve("upload.json").toFile(), Upload.class);
        if (offset % upload.partSize() != 0 || data.length > upload.partSize() || data.length == 0) {
            throw new GlacierException("InvalidParameterValueException", 400, "Content-Range " + offset + "-"
                    + (offset + data.length - 1) + " is not a part of " + upload.partSize() + " bytes");
        }
        checkHash(treeHash, TreeHash.of(data));
        writeDurably(directory.resolve(String.format("part-%020d", offset)), data);
    }

    /** Joins the parts into an archive of {@code size} bytes hashing to {@code treeHash}. */
    public Archive completeUpload(String vaultName, String uploadId, long size, String treeHash)
            throws GlacierException, IOException {
        Path directory = uploadDirectory(vaultName, uploadId);
        Upload upload = json.readValue(directory.resolve("upload.json").toFile(), Upload.class);
        TreeMap<Long, Path> parts = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "part-*")) {
            for (Path part : files) {
                parts.put(Long.parseLong(part.getFileName().toString().substring(5)), part);
            }
        }
        String archiveId = newId(32);
        Path archives = existingVault(vaultName).resolve("archives");
        Path temporary = archives.resolve(archiveId + ".partial");
        List<byte[]> leaves = new ArrayList<>();
        long expected = 0;
        try (OutputStream out = Files.newOutputStream(temporary)) {
            for (var part : parts.entrySet()) {
                if (part.getKey() != expected) {
                    throw new GlacierException("InvalidParameterValueException", 400,
                            "the parts leave a gap at byte " + expected);
                }
                try (InputStream in = Files.newInputStream(part.getValue())) {
                    byte[] bytes = in.readAllBytes();
                    leaves.addAll(TreeHash.leaves(bytes, 0, bytes.length));
                    out.write(bytes);
                    expected += bytes.length;
                }
            }
        } catch (GlacierException | IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        if (expected != size || leaves.isEmpty()) {
            Files.deleteIfExists(temporary);
            throw new GlacierException("InvalidParameterValueException", 400,
                    "the parts hold " + expected + " bytes, not the archive size " + size);
        }
        String computed = TreeHash.root(leaves);
        try {
            checkHash(treeHash, computed);
        } catch (GlacierException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        force(temporary);
        Files.move(temporary, archives.resolve(archiveId + ".data"), StandardCopyOption.ATOMIC_MOVE);
        Archive archive = new Archive(archiveId, upload.description(), size, computed, clock.millis());
        writeJson(archives.resolve(archiveId + ".json"), archive);
        deleteTree(directory);
        return archive;
    }

    public void abortUpload(String vaultName, String uploadId) throws GlacierException, IOException {
        deleteTree(uploadDirectory(vaultName, uploadId));
    }

    /** Starts an archive-retrieval job; its output is ready {@code retrievalDelay} later. */
    public Job initiateRetrieval(String vaultName, String archiveId, String description, String tier)
            throws GlacierException, IOException {
        Path vault = existingVault(vaultName);
        if (!Files.exists(vault.resolve("archives").resolve(safeId(archiveId) + ".json"))) {
            throw new GlacierException("ResourceNotFoundException", 404, "Archive not found: " + archiveId);
        }
        long now = clock.millis();
        Job job = new Job(newId(24), archiveId, description, tier == null ? "Standard" : tier, now,
                now + retrievalDelay.toMillis());
        writeJson(vault.resolve("jobs").resolve(job.id() + ".json"), job);
        return job;
    }

    public Job job(String vaultName, String jobId) throws GlacierException, IOException {
        Path file = existingVault(vaultName).resolve("jobs").resolve(safeId(jobId) + ".json");
        if (!Files.exists(file)) {
            throw new GlacierException("ResourceNotFoundException", 404, "Job not found: " + jobId);
        }
        return json.readValue(file.toFile(), Job.class);
    }

    public List<Job> jobs(String vaultName) throws GlacierException, IOException {
        List<Job> jobs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(existingVault(vaultName).resolve("jobs"),
                "*.json")) {
            for (Path file : files) {
                jobs.add(json.readValue(file.toFile(), Job.class));
            }
        }
        return jobs;
    }

    /** An archive's metadata, if it exists. */
    public Optional<Archive> archive(String vaultName, String archiveId) throws GlacierException, IOException {
        Path file = existingVault(vaultName).resolve("archives").resolve(safeId(archiveId) + ".json");
        return Files.exists(file) ? Optional.of(json.readValue(file.toFile(), Archive.class)) : Optional.empty();
    }

    /** The file holding an archive's bytes. */
    public Path archiveData(String vaultName, String archiveId) throws GlacierException {
        return existingVault(vaultName).resolve("archives").resolve(safeId(archiveId) + ".data");
    }

    public Instant now() {
        return clock.instant();
    }

    private void writeJson(Path file, Object value) throws IOException {
        writeDurably(file, json.writeValueAsBytes(value));
    }

    private static void writeDurably(Path file, byte[] data) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(temporary, data);
        force(temporary);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
