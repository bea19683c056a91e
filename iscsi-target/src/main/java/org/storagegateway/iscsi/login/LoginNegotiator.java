package org.storagegateway.iscsi.login;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;

/**
 * One connection's login: security then operational negotiation (RFC 7143 §6, §12, §13). Not thread-safe.
 *
 * <p>The session layer feeds every Login Request through {@link #process} and sends back the response it returns.
 * Once {@link #failed()} it sends that last response and closes the connection; once
 * {@link #fullFeaturePhaseReached()} it switches to full feature phase with {@link #parameters()}.
 */
public final class LoginNegotiator {
    /** The only iSCSI version there is (RFC 7143 §11.12.4). */
    static final int VERSION = 0;
    static final int SECURITY_NEGOTIATION = 0;
    static final int OPERATIONAL_NEGOTIATION = 1;
    static final int FULL_FEATURE_PHASE = 3;

    /** RFC 7143 §6.1 asks for at least 8192 bytes per negotiation; more than this is abuse, not negotiation. */
    static final int MAX_REQUEST_TEXT_BYTES = 64 * 1024;
    /**
     * A login that has not finished after this many PDUs is going nowhere (RFC 7143 §6 sets no bound); this also
     * stops an endless stream of empty continuation PDUs.
     */
    static final int MAX_LOGIN_PDUS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(LoginNegotiator.class);
    private static final Set<String> IDENTITY_KEYS = Set.of("InitiatorName", "InitiatorAlias", "TargetName",
            "SessionType");
    /** Keys only a target may send (RFC 7143 §13.6, §13.8, §13.9). */
    private static final Set<String> TARGET_ONLY_KEYS = Set.of("TargetAlias", "TargetAddress",
            "TargetPortalGroupTag");
    /** RFC 7143 §13.25: obsolete marker intervals must be answered Reject, never NotUnderstood. */
    private static final Set<String> OBSOLETE_INTERVAL_KEYS = Set.of("OFMarkInt", "IFMarkInt");
    /** Keys that only mean something in full feature phase (RFC 7143 §13.3). */
    private static final Set<String> FULL_FEATURE_ONLY_KEYS = Set.of("SendTargets");
    private static final int DEFAULT_PORTAL_GROUP_TAG = 1;

    private final TargetCatalog catalog;
    private final LoginSettings settings;
    private final List<PortalAddress> portals;
    private final SecureRandom random;

    private LoginRequestFields firstRequest;
    private int stage;
    private int pdusSeen;
    private final ByteArrayOutputStream requestText = new ByteArrayOutputStream();
    private PendingResponse pendingResponse;
    private final Set<String> receivedKeys = new HashSet<>();

    private SessionType sessionType;
    private String initiatorName;
    private String initiatorAlias;
    private TargetDefinition target;
    private Authentication authentication;
    private OperationalNegotiation operational;
    private boolean targetInfoSent;

    private boolean fullFeaturePhase;
    private boolean failed;
    private SessionParameters parameters = SessionParameters.LOGIN_DEFAULTS;

    /** A response text longer than one PDU, handed out a PDU at a time (RFC 7143 §11.13.2, C bit). */
    private static final class PendingResponse {
        private final byte[] text;
        private final boolean transit;
        private final int nextStage;
        private int offset;

        PendingResponse(byte[] text, boolean transit, int nextStage) {
            this.text = text;
            this.transit = transit;
            this.nextStage = nextStage;
        }
    }

    public LoginNegotiator(TargetCatalog catalog, LoginSettings settings, List<PortalAddress> portals,
                           SecureRandom random) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.portals = List.copyOf(portals);
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Answers one Login Request. Failures come back as a response with a non-zero status, never as exceptions.
     *
     * @throws IllegalStateException if the login already failed or reached full feature phase
     */
    public LoginResponseFields process(LoginRequestFields request) {
        Objects.requireNonNull(request, "request");
        if (failed || fullFeaturePhase) {
            throw new IllegalStateException("this login has already ended; close the connection or go on in FFP");
        }
        try {
            if (++pdusSeen > MAX_LOGIN_PDUS) {
                throw LoginException.initiatorError("login still going after %d PDUs", MAX_LOGIN_PDUS);
            }
            checkHeader(request);
            if (pendingResponse != null) {
                return continueResponse(request);
            }
            if (requestText.size() + request.text().length > MAX_REQUEST_TEXT_BYTES) {
                throw LoginException.initiatorError("login text over %d bytes", MAX_REQUEST_TEXT_BYTES);
            }
            requestText.writeBytes(request.text());
            if (request.continueFlag()) {
                // RFC 7143 §11.12.2: text continues; acknowledge with an empty response and wait for the rest.
                return response(false, 0, new byte[0], false);
            }
            byte[] text = requestText.toByteArray();
            requestText.reset();
            return negotiate(request, KeyValueText.parse(text));
        } catch (LoginException e) {
            return fail(request, e.status(), e.getMessage());
        } catch (MalformedTextException e) {
            return fail(request, LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
    }

    /** Whether the last response had T=1, NSG=3 (full feature phase) and status 0. */
    public boolean fullFeaturePhaseReached() {
        return fullFeaturePhase;
    }

    /** Whether the last response had a non-zero status class: send it, then close the connection. */
    public boolean failed() {
        return failed;
    }

    /** The session type, or null before the first complete request. */
    public SessionType sessionType() {
        return sessionType;
    }

    /** The InitiatorName, or null before the first complete request. */
    public String initiatorName() {
        return initiatorName;
    }

    /** The InitiatorAlias, or null if the initiator sent none. */
    public String initiatorAlias() {
        return initiatorAlias;
    }

    /** The target logged in to; null for discovery sessions and before the first complete request. */
    public TargetDefinition target() {
        return target;
    }

    /** The negotiated parameters once {@link #fullFeaturePhaseReached()}; the RFC defaults until then. */
    public SessionParameters parameters() {
        return parameters;
    }

    /** RFC 7143 §11.12: fields that must hold on every request and stay the same throughout the login. */
    private void checkHeader(LoginRequestFields request) {
        if (request.transit() && request.continueFlag()) {
            throw LoginException.initiatorError("T and C both set (RFC 7143 §11.12.2)");
        }
        if (firstRequest == null) {
            if (request.versionMin() > VERSION || request.versionMax() < request.versionMin()) {
                throw new LoginException(LoginStatus.UNSUPPORTED_VERSION, String.format(
                        "versions %d-%d offered, only %d supported", request.versionMin(), request.versionMax(),
                        VERSION));
            }
            if (request.currentStage() != SECURITY_NEGOTIATION && request.currentStage() != OPERATIONAL_NEGOTIATION) {
                throw LoginException.initiatorError("a login cannot start in stage %d", request.currentStage());
            }
            firstRequest = request;
            stage = request.currentStage();
        } else if (request.versionMax() != firstRequest.versionMax()
                || request.versionMin() != firstRequest.versionMin()
                || !Arrays.equals(request.isid(), firstRequest.isid())
                || request.tsih() != firstRequest.tsih() || request.cid() != firstRequest.cid()) {
            throw LoginException.initiatorError("versions, ISID, TSIH or CID changed during login");
        } else if (request.currentStage() != stage) {
            throw LoginException.initiatorError("CSG %d, but the login is in stage %d", request.currentStage(), stage);
        }
        if (request.transit() && (request.nextStage() <= stage || request.nextStage() == 2)) {
            throw LoginException.initiatorError("cannot go from stage %d to %d", stage, request.nextStage());
        }
    }

    private LoginResponseFields negotiate(LoginRequestFields request, List<KeyValueText.Pair> pairs) {
        KeyValueText.Writer out = new KeyValueText.Writer();
        boolean identifying = authentication == null;
        if (identifying) {
            identify(pairs);
        }
        if (!targetInfoSent && sessionType == SessionType.NORMAL) {
            // RFC 7143 §13.9: TargetPortalGroupTag goes in the first Login Response of a Normal session.
            if (target.alias() != null) {
                out.add("TargetAlias", target.alias());
            }
            out.add("TargetPortalGroupTag", Integer.toString(portalGroupTag()));
            targetInfoSent = true;
        }
        String authMethod = null;
        Map<String, String> chapKeys = new LinkedHashMap<>();
        Map<OperationalKey, String> operationalOffers = new EnumMap<>(OperationalKey.class);
        for (KeyValueText.Pair pair : pairs) {
            String key = pair.key();
            if (operational.awaitingAnswer(key)) {
                operational.acceptAnswer(key, pair.value());
                continue;
            }
            if (identifying && IDENTITY_KEYS.contains(key)) {
                continue;   // consumed by identify()
            }
            if (!receivedKeys.add(key)) {
                throw LoginException.initiatorError("%s sent twice during login (RFC 7143 §6.2)", key);
            }
            if (IDENTITY_KEYS.contains(key)) {
                declareLate(key, pair.value());
            } else if (key.equals(Authentication.AUTH_METHOD) || Authentication.CHAP_KEYS.contains(key)) {
                if (stage != SECURITY_NEGOTIATION) {
                    throw LoginException.initiatorError("%s outside the security stage (RFC 7143 §6.3.2)", key);
                }
                if (key.equals(Authentication.AUTH_METHOD)) {
                    authMethod = pair.value();
                } else {
                    chapKeys.put(key, pair.value());
                }
            } else if (TARGET_ONLY_KEYS.contains(key)) {
                throw LoginException.initiatorError("%s may only be sent by a target", key);
            } else if (OBSOLETE_INTERVAL_KEYS.contains(key)) {
                out.add(key, TextValues.REJECT);
            } else if (FULL_FEATURE_ONLY_KEYS.contains(key)) {
                out.add(key, TextValues.IRRELEVANT);
            } else {
                OperationalKey.byName(key).ifPresentOrElse(
                        known -> operationalOffers.put(known, pair.value()),
                        () -> out.add(key, TextValues.NOT_UNDERSTOOD));   // RFC 7143 §6.2: X- and unknown keys
            }
        }
        if (stage == SECURITY_NEGOTIATION) {
            authentication.negotiate(authMethod, chapKeys, out);
        }
        operational.respond(operationalOffers, out);
        operational.expireUnansweredOffers();
        if (stage == OPERATIONAL_NEGOTIATION) {
            operational.declareAndOffer(out);
        }
        boolean transit = request.transit() && (stage == SECURITY_NEGOTIATION
                ? authentication.mayLeave()
                : !operational.hasOutstandingOffers());
        return respond(transit, request.nextStage(), out.toBytes());
    }

    /** The first complete request names the initiator, the session type and, for a Normal session, the target. */
    private void identify(List<KeyValueText.Pair> pairs) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (KeyValueText.Pair pair : pairs) {
            if (IDENTITY_KEYS.contains(pair.key())) {
                keys.put(pair.key(), pair.value());
                receivedKeys.add(pair.key());
            }
        }
        String name = keys.get("InitiatorName");
        if (name == null) {
            throw new LoginException(LoginStatus.MISSING_PARAMETER, "no InitiatorName (RFC 7143 §13.5)");
        }
        if (name.isEmpty()) {
            throw LoginException.initiatorError("empty InitiatorName");
        }
        String type = keys.getOrDefault("SessionType", SessionType.NORMAL.keyValue());
        if (type.equals(SessionType.NORMAL.keyValue())) {
            sessionType = SessionType.NORMAL;
        } else if (type.equals(SessionType.DISCOVERY.keyValue())) {
            sessionType = SessionType.DISCOVERY;
        } else {
            throw new LoginException(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType=" + type);
        }
        initiatorName = name;
        initiatorAlias = keys.get("InitiatorAlias");
        ChapPolicy policy = settings.discoveryChap();
        if (sessionType == SessionType.NORMAL) {
            target = findTarget(keys.get("TargetName"), name);
            policy = target.chapFor(name);
        }
        if (stage == OPERATIONAL_NEGOTIATION && policy.required()) {
            // RFC 7143 §6.3.1: only a target that needs no authentication lets a login start in stage 1.
            throw LoginException.authenticationFailure("the target requires CHAP; the login skipped security");
        }
        authentication = new Authentication(policy, random);
        operational = new OperationalNegotiation(settings, sessionType);
    }

    private TargetDefinition findTarget(String targetName, String initiator) {
        if (targetName == null) {
            throw new LoginException(LoginStatus.MISSING_PARAMETER, "no TargetName in a Normal session (RFC 7143 §13.4)");
        }
        TargetDefinition found = catalog.find(targetName).orElseThrow(
                () -> new LoginException(LoginStatus.NOT_FOUND, "no target " + targetName));
        if (!found.admits(initiator)) {
            throw new LoginException(LoginStatus.AUTHORIZATION_FAILURE,
                    initiator + " is not on the access list of " + found.name());
        }
        return found;
    }

    /** An identity key after the first request: only InitiatorAlias may come late (RFC 7143 §13.5-§13.7, §13.21). */
    private void declareLate(String key, String value) {
        if (key.equals("InitiatorAlias")) {
            initiatorAlias = value;
        } else if (!(key.equals("TargetName") && sessionType == SessionType.DISCOVERY)) {
            throw LoginException.initiatorError("%s must be sent in the first Login Request", key);
        }
    }

    /** This negotiator does not know the portal a connection came in on, so one portal group tag serves all. */
    private int portalGroupTag() {
        return portals.isEmpty() ? DEFAULT_PORTAL_GROUP_TAG : portals.get(0).portalGroupTag();
    }

    /** RFC 7143 §11.13.2: a login response text longer than 8192 bytes goes out in pieces with C=1. */
    private LoginResponseFields respond(boolean transit, int nextStage, byte[] text) {
        if (text.length <= SessionParameters.LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH) {
            return response(transit, nextStage, text, false);
        }
        pendingResponse = new PendingResponse(text, transit, nextStage);
        return nextPiece();
    }

    /** The initiator asks for the next piece of a long response with an empty request. */
    private LoginResponseFields continueResponse(LoginRequestFields request) {
        if (request.text().length != 0 || request.continueFlag()) {
            throw LoginException.initiatorError("text sent while the target's response was incomplete");
        }
        return nextPiece();
    }

    private LoginResponseFields nextPiece() {
        PendingResponse pending = pendingResponse;
        int length = Math.min(SessionParameters.LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH, pending.text.length - pending.offset);
        byte[] piece = Arrays.copyOfRange(pending.text, pending.offset, pending.offset + length);
        pending.offset += length;
        if (pending.offset < pending.text.length) {
            return response(false, 0, piece, true);
        }
        pendingResponse = null;
        return response(pending.transit, pending.nextStage, piece, false);
    }

    private LoginResponseFields response(boolean transit, int nextStage, byte[] text, boolean continues) {
        int currentStage = stage;
        if (transit) {
            stage = nextStage;
            if (nextStage == FULL_FEATURE_PHASE) {
                parameters = operational.build();
                fullFeaturePhase = true;
            }
        }
        return new LoginResponseFields(transit, continues, currentStage, transit ? nextStage : 0, VERSION, VERSION,
                0, 0, text);
    }

    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    private LoginResponseFields fail(LoginRequestFields request, LoginStatus status, String reason) {
        failed = true;
        // The reason may quote initiator text; control characters must not forge log lines.
        LOG.info("login from {} refused with {} ({})",
                initiatorName != null ? printable(initiatorName) : "an unnamed initiator", status, printable(reason));
        return LoginResponseFields.failure(request, status);
    }
}
