package org.storagegateway.iscsi.session;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.login.PortalAddress;
import org.storagegateway.iscsi.target.TargetCatalog;

/**
 * Everything the connections of one portal share: the targets, the login settings, the session registry, the
 * executor for commands that may block, and the limits and timers of the full feature phase.
 *
 * @param portalGroupTag    the TPGT of this portal (RFC 7143 §4.4.1), also the relative target port identifier
 * @param maxTransferLength the largest EDTL accepted; larger commands end in CHECK CONDITION without allocation
 * @param writeBudget       per connection, the most solicited write data held or asked for at once (see
 *                          {@link WriteBudget}); at least {@code maxTransferLength}
 * @param nopInterval       idle time after which the target pings the initiator with a NOP-In (RFC 7143 §11.19)
 * @param nopTimeout        how long an unanswered ping may stay unanswered before the connection is dropped
 */
public record PortalContext(TargetCatalog catalog, LoginSettings loginSettings, List<PortalAddress> portals,
                            int portalGroupTag, SessionRegistry registry, Executor commandExecutor,
                            int maxTransferLength, long writeBudget, Duration nopInterval, Duration nopTimeout, SecureRandom random) {

    public PortalContext {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(loginSettings, "loginSettings");
        portals = List.copyOf(portals);
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(commandExecutor, "commandExecutor");
        Objects.requireNonNull(nopInterval, "nopInterval");
        Objects.requireNonNull(nopTimeout, "nopTimeout");
        Objects.requireNonNull(random, "random");
        if (portalGroupTag < 1 || portalGroupTag > 0xFFFF) {
            throw new IllegalArgumentException("portal group tag must be 1-65535, was " + portalGroupTag);
        }
        if (maxTransferLength < 512) {
            throw new IllegalArgumentException("maximum transfer length too small: " + maxTransferLength);
        }
        if (writeBudget < maxTransferLength) {
            throw new IllegalArgumentException(String.format(
                    "write budget %d is below the maximum transfer length %d", writeBudget, maxTransferLength));
        }
        if (nopInterval.isNegative() || nopTimeout.isNegative()) {
            throw new IllegalArgumentException("NOP interval and timeout must not be negative");
        }
    }

    /**
     * The addresses SendTargets reports to a connection that arrived at {@code local}: the configured ones, or else
     * the address the initiator reached, which is then known to work for it. (RFC 7143 Appendix C lets a target
     * leave TargetAddress out, but initiators such as libiscsi list only targets that have one.)
     */
    public List<PortalAddress> advertisedTo(SocketAddress local) {
        if (!portals.isEmpty() || !(local instanceof InetSocketAddress address)) {
            return portals;
        }
        return List.of(new PortalAddress(address.getAddress().getHostAddress(), address.getPort(), portalGroupTag));
    }

    /** Whether the target pings idle initiators (a zero interval turns pings off). */
    public boolean keepAliveEnabled() {
        return !nopInterval.isZero();
    }
}
