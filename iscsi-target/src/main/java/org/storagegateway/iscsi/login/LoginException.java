package org.storagegateway.iscsi.login;

/**
 * A login that ends in a Login Reject: thrown anywhere in negotiation, turned into a failure response in one place
 * ({@link LoginNegotiator#process}). Like {@code CheckCondition}, it is an answer, so it carries no stack trace.
 */
final class LoginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final LoginStatus status;

    LoginException(LoginStatus status, String message) {
        super(message, null, false, false);
        if (status == LoginStatus.SUCCESS) {
            throw new IllegalArgumentException("a login failure needs a failure status");
        }
        this.status = status;
    }

    static LoginException initiatorError(String format, Object... args) {
        return new LoginException(LoginStatus.INITIATOR_ERROR, String.format(format, args));
    }

    static LoginException authenticationFailure(String format, Object... args) {
        return new LoginException(LoginStatus.AUTHENTICATION_FAILURE, String.format(format, args));
    }

    LoginStatus status() {
        return status;
    }
}
