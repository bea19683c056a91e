package org.storagegateway.scsi.copy;

import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The logical units a copy manager may reach, by their NAA designator: every disk the appliance serves, across
 * targets, so that EXTENDED COPY can copy between two volumes (SPC-3 §6.3.6.2, identification descriptor CSCD).
 * Thread-safe; units register once, when they are built, and withdraw when they stop being served.
 */
public final class CopyTargets {
    private static final HexFormat HEX = HexFormat.of();

    private final ConcurrentMap<String, CopyTarget> byNaa = new ConcurrentHashMap<>();

    /** Makes a unit reachable; another unit with the same NAA designator is a configuration error. */
    public void register(CopyTarget target) {
        Objects.requireNonNull(target, "target");
        String key = HEX.formatHex(target.naa());
        CopyTarget existing = byNaa.putIfAbsent(key, target);
        if (existing != null && existing != target) {
            throw new IllegalStateException("two logical units share the NAA designator " + key);
        }
    }

    /** Makes a unit unreachable (it is no longer served); a no-op when another unit holds its designator now. */
    public void unregister(CopyTarget target) {
        byNaa.remove(HEX.formatHex(target.naa()), target);
    }

    /** The unit named by this designator, or null when none is reachable. */
    public CopyTarget resolve(byte[] naa) {
        return byNaa.get(HEX.formatHex(naa));
    }
}
