package org.storagegateway.iscsi.login;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Login Response PDU must carry (RFC 7143 §11.13); TSIH is filled in by the session layer.
 *
 * @param transit       the T bit: the target agrees to move to {@code nextStage}
 * @param continueFlag  the C bit: more response text follows, asked for with an empty Login Request
 * @param currentStage  CSG
 * @param nextStage     NSG, meaningful only when {@code transit}
 * @param versionMax    Version-max: the highest version the target supports
 * @param versionActive Version-active: the version in use
 * @param statusClass   Status-Class (RFC 7143 §11.13.5)
 * @param statusDetail  Status-Detail
 * @param text          the data segment: key=value pairs (copied)
 */
public record LoginResponseFields(boolean transit, boolean continueFlag, int currentStage, int nextStage,
                                  int versionMax, int versionActive, int statusClass, int statusDetail,
                                  byte[] text) {
    public LoginResponseFields {
        LoginRequestFields.requireRange("CSG", currentStage, 0, 3);
        LoginRequestFields.requireRange("NSG", nextStage, 0, 3);
        LoginRequestFields.requireRange("Version-max", versionMax, 0, 0xFF);
        LoginRequestFields.requireRange("Version-active", versionActive, 0, 0xFF);
        LoginRequestFields.requireRange("Status-Class", statusClass, 0, 0xFF);
        LoginRequestFields.requireRange("Status-Detail", statusDetail, 0, 0xFF);
        if (transit && continueFlag) {
            throw new IllegalArgumentException("T and C must not both be set (RFC 7143 §11.13.1)");
        }
        text = Objects.requireNonNull(text, "text").clone();
    }

    /**
     * A login failure response for {@code request}: no text, no transit (RFC 7143 §11.13.5). For statuses the session
     * layer decides itself, such as {@link LoginStatus#SESSION_DOES_NOT_EXIST}.
     */
    public static LoginResponseFields failure(LoginRequestFields request, LoginStatus status) {
        if (status == LoginStatus.SUCCESS) {
            throw new IllegalArgumentException("a failure needs a non-zero status");
        }
        return new LoginResponseFields(false, false, request.currentStage(), 0, LoginNegotiator.VERSION,
                LoginNegotiator.VERSION, status.statusClass(), status.statusDetail(), new byte[0]);
    }

    /** The status these codes stand for, if RFC 7143 defines them. */
    public Optional<LoginStatus> status() {
        return LoginStatus.of(statusClass, statusDetail);
    }

    @Override
    public byte[] text() {
        return text.clone();
    }

    /** Compares the text by content, unlike a record's default. */
    @Override
    public boolean equals(Object other) {
        return other instanceof LoginResponseFields that && transit == that.transit
                && continueFlag == that.continueFlag && currentStage == that.currentStage
                && nextStage == that.nextStage && versionMax == that.versionMax
                && versionActive == that.versionActive && statusClass == that.statusClass
                && statusDetail == that.statusDetail && Arrays.equals(text, that.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transit, continueFlag, currentStage, nextStage, versionMax, versionActive, statusClass,
                statusDetail, Arrays.hashCode(text));
    }

    @Override
    public String toString() {
        return String.format("LoginResponse[T=%b C=%b CSG=%d NSG=%d status=%02x-%02x text=%d bytes]", transit,
                continueFlag, currentStage, nextStage, statusClass, statusDetail, text.length);
    }
}
