package org.storagegateway.gateway.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;

/**
 * The management API's own access key, made on first start when the configuration lists none, and kept in the data
 * directory readable by its owner only. There is no default key: a key anyone could read in the documentation would
 * let anyone who reaches the port manage the gateway.
 */
public final class ApiKeys {
    static final String FILE_NAME = "api-keys";
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private ApiKeys() {
    }

    /** The key pair in {@code dataDirectory}, created (atomically, mode 0600) the first time. */
    public static Map<String, String> loadOrCreate(Path dataDirectory) {
        return loadOrCreate(dataDirectory.resolve(FILE_NAME), null, "The management API's access key");
    }

    /**
     * A key pair kept in {@code file}, made the first time with key id {@code keyId} (null: a random one) and a random
     * secret, readable by its owner only; {@code purpose} heads the file.
     */
    public static Map<String, String> loadOrCreate(Path file, String keyId, String purpose) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            if (Files.exists(file)) {
                return read(file);
            }
            Files.createDirectories(directory);
            SecureRandom random = new SecureRandom();
            String id = keyId != null ? keyId : "AKSG" + randomText(random, KEY_ALPHABET, 16);
            String secret = randomText(random, SECRET_ALPHABET, 40);
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, "# " + purpose + " (use it as an AWS access key pair)\n"
                    + "accessKeyId=" + id + "\nsecretAccessKey=" + secret + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return Map.of(id, secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a key pair in " + file, e);
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            properties.load(in);
        }
        String keyId = properties.getProperty("accessKeyId");
        String secret = properties.getProperty("secretAccessKey");
        if (keyId == null || secret == null || secret.length() < 16) {
            throw new IllegalStateException(file + " is damaged: it needs accessKeyId= and secretAccessKey= lines;"
                    + " delete it to have a new key made");
        }
        return Map.of(keyId, secret);
    }

    private static String randomText(SecureRandom random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
