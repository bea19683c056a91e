package org.storagegateway.iscsi.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions of a portal: assigns TSIHs (RFC 7143 §11.12.6) and finds the session a new leading login would
 * reinstate (same initiator name, ISID and target, RFC 7143 §6.3.5). Thread-safe; touched only at login, logout and
 * task management, never per command.
 */
public final class SessionRegistry {
    private final Map<Integer, IscsiSession> byTsih = new ConcurrentHashMap<>();
    private final Map<SessionKey, IscsiSession> byKey = new ConcurrentHashMap<>();
    private int nextTsih = 1;

    /** Identifies a session across logins: the initiator port (name + ISID) and the target (RFC 7143 §4.4.3). */
    record SessionKey(String initiatorName, String isidHex, String targetName) {
        static SessionKey of(String initiatorName, String isidHex, String targetName) {
            return new SessionKey(initiatorName.toLowerCase(java.util.Locale.ROOT), isidHex,
                    targetName == null ? "" : targetName.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A fresh TSIH, never 0 and not in use (RFC 7143 §11.12.6). */
    public synchronized int allocateTsih() {
        for (int tries = 0; tries < 0xFFFF; tries++) {
            int candidate = nextTsih;
            nextTsih = nextTsih == 0xFFFF ? 1 : nextTsih + 1;
            if (!byTsih.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("all 65535 TSIHs are in use");
    }

    /**
     * Registers a session that completed its leading login; returns the live session it replaces (same initiator
     * port and target), which the caller must end (session reinstatement).
     */
    public synchronized Optional<IscsiSession> register(IscsiSession session) {
        IscsiSession previous = byKey.put(session.key(), session);
        byTsih.put(session.tsih(), session);
        if (previous != null) {
            byTsih.remove(previous.tsih(), previous);
        }
        return Optional.ofNullable(previous);
    }

    /** Forgets a session; a no-op when it was already replaced. */
    public synchronized void remove(IscsiSession session) {
        byKey.remove(session.key(), session);
        byTsih.remove(session.tsih(), session);
    }

    /** The live session with this TSIH. */
    public Optional<IscsiSession> find(int tsih) {
        return Optional.ofNullable(byTsih.get(tsih));
    }

    /** The live normal sessions logged in to a target. */
    public List<IscsiSession> sessionsOf(String targetName) {
        List<IscsiSession> result = new ArrayList<>();
        for (IscsiSession session : byTsih.values()) {
            if (session.target() != null && session.target().name().equalsIgnoreCase(targetName)) {
                result.add(session);
            }
        }
        return result;
    }

    /** Every live session. */
    public List<IscsiSession> all() {
        return new ArrayList<>(byTsih.values());
    }
}
