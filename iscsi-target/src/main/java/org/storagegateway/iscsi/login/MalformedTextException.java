package org.storagegateway.iscsi.login;

/**
 * Text that breaks the key=value rules of RFC 7143 §6.1 (no '=', a bad key name, an over-long value, a duplicate
 * key, invalid UTF-8). During login it becomes a Login Reject 02-00; in full feature phase
 * {@link FullFeatureText#respond} throws it and the session layer answers with a Reject PDU (RFC 7143 §11.17).
 */
public final class MalformedTextException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedTextException(String message) {
        super(message);
    }
}
