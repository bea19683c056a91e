package org.storagegateway.iscsi.login;

import java.util.Objects;

/**
 * A portal address advertised in SendTargets (TargetAddress=host:port,tpgt; IPv6 in brackets), RFC 7143 §13.8.
 *
 * @param host           a DNS name, an IPv4 address, or an IPv6 address without brackets
 * @param port           the TCP port
 * @param portalGroupTag the target portal group tag (RFC 7143 §13.9)
 */
public record PortalAddress(String host, int port, int portalGroupTag) {
    public PortalAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.startsWith("[") || host.contains(",")) {
            throw new IllegalArgumentException("portal host must be a bare name or address, was '" + host + "'");
        }
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("portal port must be 1-65535, was " + port);
        }
        if (portalGroupTag < 0 || portalGroupTag > 0xFFFF) {
            throw new IllegalArgumentException("portal group tag must be 0-65535, was " + portalGroupTag);
        }
    }

    /** The TargetAddress value: {@code host:port,tpgt}, an IPv6 literal in brackets (RFC 7143 §13.8). */
    public String targetAddressValue() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return shownHost + ":" + port + "," + portalGroupTag;
    }
}
