package org.storagegateway.iscsi.pdu;

/**
 * A PDU whose header cannot be accepted: the session answers it with a Reject carrying {@link #reason()} (RFC 7143
 * §11.17) or, where the RFC says so, closes the connection. Cheap: no stack trace, since this is an answer.
 */
public final class InvalidPduException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public InvalidPduException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
