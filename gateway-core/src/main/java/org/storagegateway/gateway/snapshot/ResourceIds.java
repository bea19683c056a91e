package org.storagegateway.gateway.snapshot;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Snapshot and volume ids in AWS's form: {@code snap-} or {@code vol-} and 17 lowercase hex digits. */
public final class ResourceIds {
    private static final Pattern SNAPSHOT = Pattern.compile("snap-[0-9a-f]{17}");
    private static final Pattern VOLUME = Pattern.compile("vol-[0-9a-f]{17}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ResourceIds() {
    }

    public static String newSnapshotId() {
        return "snap-" + random17();
    }

    public static String newVolumeId() {
        return "vol-" + random17();
    }

    public static boolean isSnapshotId(String id) {
        return id != null && SNAPSHOT.matcher(id).matches();
    }

    public static boolean isVolumeId(String id) {
        return id != null && VOLUME.matcher(id).matches();
    }

    /** Returns {@code id}, or throws when it is not a snapshot id (ids become object keys: nothing else may pass). */
    public static String requireSnapshotId(String id) {
        if (!isSnapshotId(id)) {
            throw new IllegalArgumentException("not a snapshot id (snap- and 17 lowercase hex digits): " + id);
        }
        return id;
    }

    /** Returns {@code id}, or throws when it is not a volume id. */
    public static String requireVolumeId(String id) {
        if (!isVolumeId(id)) {
            throw new IllegalArgumentException("not a volume id (vol- and 17 lowercase hex digits): " + id);
        }
        return id;
    }

    private static String random17() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, 17);
    }
}
