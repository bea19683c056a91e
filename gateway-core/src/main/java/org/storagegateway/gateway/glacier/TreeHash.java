package org.storagegateway.gateway.glacier;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Glacier's SHA-256 tree hash: SHA-256 of each 1 MiB of the data, then of each pair of hashes, level by level, up to
 * one. Parts of a multipart upload are whole MiB-aligned runs, so an archive's hash is the tree over its parts'
 * leaves; both sides of the Glacier API compute it (the AWS SDK does not).
 */
public final class TreeHash {
    /** The leaf size. */
    public static final int MIB = 1 << 20;
    private static final HexFormat HEX = HexFormat.of();

    private TreeHash() {
    }

    /** The leaf hashes of {@code length} bytes of {@code data} from {@code offset}. */
    public static List<byte[]> leaves(byte[] data, int offset, int length) {
        List<byte[]> leaves = new ArrayList<>();
        MessageDigest digest = sha256();
        for (int at = 0; at < length || leaves.isEmpty(); at += MIB) {
            digest.update(data, offset + at, Math.min(MIB, length - at));
            leaves.add(digest.digest());
            if (length == 0) {
                break;
            }
        }
        return leaves;
    }

    /** The leaf hashes of everything {@code in} holds, read a MiB at a time. */
    public static List<byte[]> leaves(InputStream in) throws IOException {
        List<byte[]> leaves = new ArrayList<>();
        MessageDigest digest = sha256();
        byte[] buffer = new byte[MIB];
        while (true) {
            int filled = in.readNBytes(buffer, 0, MIB);
            if (filled == 0 && !leaves.isEmpty()) {
                return leaves;
            }
            digest.update(buffer, 0, filled);
            leaves.add(digest.digest());
            if (filled < MIB) {
                return leaves;
            }
        }
    }

    /** The root over leaf hashes, as lowercase hex. */
    public static String root(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a tree hash needs at least one leaf");
        }
        MessageDigest digest = sha256();
        List<byte[]> level = leaves;
        while (level.size() > 1) {
            List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                if (i + 1 == level.size()) {
                    next.add(level.get(i));
                } else {
                    digest.update(level.get(i));
                    digest.update(level.get(i + 1));
                    next.add(digest.digest());
                }
            }
            level = next;
        }
        return HEX.formatHex(level.get(0));
    }

    /** The tree hash of {@code data}, as lowercase hex. */
    public static String of(byte[] data) {
        return root(leaves(data, 0, data.length));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
