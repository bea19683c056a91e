package org.storagegateway.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.storagegateway.iscsi.server.IscsiServer;
import org.storagegateway.iscsi.session.IscsiSession;

/**
 * The appliance's iSCSI portal, which ShutdownGateway stops (every session ends) and StartGateway starts again on the
 * address it first bound, while the management API and the disks stay up.
 */
final class Portal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);
    private final Function<InetSocketAddress, IscsiServer.Builder> builder;
    private InetSocketAddress address;
    private IscsiServer server;

    /** {@code builder} makes a portal's server for an address; this starts one at once on {@code address}. */
    Portal(Function<InetSocketAddress, IscsiServer.Builder> builder, InetSocketAddress address)
            throws InterruptedException {
        this.builder = builder;
        this.address = address;
        start();
    }

    /** Starts serving, if stopped; a first start on port 0 keeps the port it got for later starts. */
    synchronized void start() throws InterruptedException {
        if (server != null) {
            return;
        }
        server = builder.apply(address).build().start();
        address = new InetSocketAddress(address.getAddress(), server.port());
    }

    /** Stops serving: logins are refused and every session ends. */
    synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    synchronized boolean running() {
        return server != null;
    }

    synchronized int port() {
        return address.getPort();
    }

    /** The initiators logged in to a target now, by name (none while stopped). */
    synchronized List<String> initiatorsOf(String targetName) {
        return server == null ? List.of() : server.sessions().sessionsOf(targetName).stream()
                .map(IscsiSession::initiatorName).distinct().sorted().toList();
    }

    /**
     * Ends every session logged in to a target (a target just removed from the catalog, so none comes back), waiting
     * up to {@code timeout} for them to end; tasks in flight are aborted.
     */
    void endSessions(String targetName, Duration timeout) {
        List<IscsiSession> sessions;
        synchronized (this) {
            sessions = server == null ? List.of() : server.sessions().sessionsOf(targetName);
        }
        CompletableFuture<?>[] ended = sessions.stream().map(IscsiSession::close).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(ended).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Sessions of {} did not all end within {}: {}", targetName, timeout, e.toString());
        }
    }

    /** Sessions logged in now (0 while stopped). */
    synchronized int sessions() {
        return server == null ? 0 : server.sessions().all().size();
    }

    @Override
    public void close() {
        stop();
    }
}
