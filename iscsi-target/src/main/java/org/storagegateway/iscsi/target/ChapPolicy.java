package org.storagegateway.iscsi.target;

/**
 * How a target authenticates: no CHAP, one-way CHAP (the initiator proves it knows {@code initiator}'s secret), or
 * mutual CHAP (the target proves in turn that it knows {@code target}'s secret).
 *
 * @param initiator the credentials initiators must present, or null for no authentication
 * @param target    the credentials the target answers with for mutual CHAP, or null for one-way
 */
public record ChapPolicy(ChapCredentials initiator, ChapCredentials target) {
    public static final ChapPolicy NONE = new ChapPolicy(null, null);

    public ChapPolicy {
        if (initiator == null && target != null) {
            throw new IllegalArgumentException("mutual CHAP needs initiator credentials too");
        }
        if (initiator != null && target != null && initiator.secret().equals(target.secret())) {
            // RFC 7143 §12.1.3: the same secret in both directions lets a man in the middle reflect challenges.
            throw new IllegalArgumentException("the mutual CHAP secret must differ from the initiator's secret");
        }
    }

    public boolean required() {
        return initiator != null;
    }

    public boolean mutual() {
        return target != null;
    }
}
