package org.storagegateway.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

import org.storagegateway.scsi.device.DeviceIdentification;

/**
 * The gateway's own random identity, made on first start and kept in the data directory, from which every logical
 * unit's serial number and NAA designator derive. Initiators key multipath maps and file-system mounts on those, so
 * they must survive restarts, yet two gateways started from the same configuration must not share them.
 */
public final class GatewayIdentity {
    private static final String FILE_NAME = "gateway-id";
    private static final HexFormat HEX = HexFormat.of();

    private final String id;

    private GatewayIdentity(String id) {
        this.id = id;
    }

    /** Reads the identity from {@code dataDirectory}, creating it (atomically) the first time. */
    public static GatewayIdentity loadOrCreate(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDirectory);
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!id.matches("[0-9a-f]{32}")) {
                    throw new IllegalStateException(file + " is damaged: expected 32 hex digits, found \"" + id + "\"");
                }
                return new GatewayIdentity(id);
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String id = HEX.formatHex(random);
            Path temporary = Files.createTempFile(dataDirectory, FILE_NAME, ".tmp");
            Files.writeString(temporary, id + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return new GatewayIdentity(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the gateway identity in " + dataDirectory, e);
        }
    }

    /** The identity as 32 hex digits. */
    public String id() {
        return id;
    }

    /** The gateway's id in AWS's form: {@code sgw-} and 8 upper-case hex digits, from the identity. */
    public String gatewayId() {
        return "sgw-" + id.substring(0, 8).toUpperCase(Locale.ROOT);
    }

    /**
     * A 12-digit account number for the gateway's ARNs. The appliance belongs to no AWS account; a number drawn from
     * the identity keeps its ARNs stable across restarts and distinct between gateways.
     */
    public String accountId() {
        return String.format("%012d", Long.parseUnsignedLong(id.substring(8, 20), 16) % 1_000_000_000_000L);
    }

    /**
     * A volume's id in AWS's form ({@code vol-} and 17 hex digits), the same for the same volume name on this gateway
     * across restarts and different on another gateway, so the volume's objects in the bucket stay its own.
     */
    public String volumeId(String volumeName) {
        return "vol-" + HEX.formatHex(sha256(id + "\0volume\0" + volumeName)).substring(0, 17);
    }

    /**
     * The names of a logical unit: a serial number {@code SGW} + 16 hex digits, and an NAA 6 designator whose 124
     * bits below the NAA nibble come from the same digest of (gateway, target, LUN).
     */
    public DeviceIdentification logicalUnit(String targetName, int lun) {
        byte[] digest = sha256(id + "\0" + targetName.toLowerCase(Locale.ROOT) + "\0" + lun);
        byte[] naa = new byte[16];
        System.arraycopy(digest, 0, naa, 0, 16);
        naa[0] = (byte) (0x60 | (naa[0] & 0x0F));
        String serial = "SGW" + HEX.formatHex(digest, 16, 24).toUpperCase(Locale.ROOT);
        return new DeviceIdentification(serial, naa);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
