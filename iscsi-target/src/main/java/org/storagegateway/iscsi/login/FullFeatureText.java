package org.storagegateway.iscsi.login;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;

/** Answers Text Requests in full feature phase: SendTargets (RFC 7143 §12.3, Appendix C) and other keys. */
public final class FullFeatureText {
    static final String SEND_TARGETS = "SendTargets";
    private static final String ALL = "All";

    private final TargetCatalog catalog;
    private final List<PortalAddress> portals;

    public FullFeatureText(TargetCatalog catalog, List<PortalAddress> portals) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.portals = List.copyOf(portals);
    }

    /**
     * The whole response text for a whole (reassembled) request text; the session layer splits it into PDUs.
     *
     * @param requestText   the request's key=value pairs
     * @param type          the session's type
     * @param initiatorName the session's InitiatorName, for the access lists
     * @param sessionTarget the session's target, or null for a discovery session
     * @throws MalformedTextException if the request text is malformed (answer with a Reject PDU, RFC 7143 §11.17)
     */
    public byte[] respond(byte[] requestText, SessionType type, String initiatorName, TargetDefinition sessionTarget) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(initiatorName, "initiatorName");
        KeyValueText.Writer out = new KeyValueText.Writer();
        for (KeyValueText.Pair pair : KeyValueText.parse(requestText)) {
            if (pair.key().equals(SEND_TARGETS)) {
                sendTargets(pair.value(), type, initiatorName, sessionTarget, out);
            } else if (OperationalKey.byName(pair.key()).isPresent()) {
                // Renegotiating login keys in full feature phase is not supported: the session's parameters are
                // fixed at login, and the session layer has no way to apply a change (RFC 7143 §6.2: Reject).
                out.add(pair.key(), TextValues.REJECT);
            } else {
                out.add(pair.key(), TextValues.NOT_UNDERSTOOD);
            }
        }
        return out.toBytes();
    }

    /**
     * RFC 7143 Appendix C: a discovery session learns every target it may reach ({@code All}) or one by name; a
     * normal session learns only about its own target (an empty value, or its name).
     */
    private void sendTargets(String value, SessionType type, String initiatorName, TargetDefinition sessionTarget,
                             KeyValueText.Writer out) {
        List<TargetDefinition> listed = new ArrayList<>();
        if (type == SessionType.DISCOVERY) {
            if (value.equals(ALL)) {
                for (TargetDefinition candidate : catalog.all()) {
                    if (candidate.admits(initiatorName)) {
                        listed.add(candidate);
                    }
                }
            } else if (value.isEmpty()) {
                out.add(SEND_TARGETS, TextValues.REJECT);   // a discovery session has no target of its own
                return;
            } else {
                catalog.find(value).filter(found -> found.admits(initiatorName)).ifPresent(listed::add);
            }
        } else {
            Objects.requireNonNull(sessionTarget, "sessionTarget of a normal session");
            if (value.equals(ALL)) {
                out.add(SEND_TARGETS, TextValues.REJECT);   // Appendix C: All is for discovery sessions
                return;
            }
            if (value.isEmpty() || value.equalsIgnoreCase(sessionTarget.name())) {
                listed.add(sessionTarget);
            }
        }
        for (TargetDefinition target : listed) {
            out.add("TargetName", target.name());
            for (PortalAddress portal : portals) {
                out.add("TargetAddress", portal.targetAddressValue());
            }
        }
    }
}
