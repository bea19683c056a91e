package org.storagegateway.gateway;

import java.net.InetSocketAddress;
import java.util.function.Function;

import org.storagegateway.iscsi.server.IscsiServer;

/**
 * The appliance's iSCSI portal, which ShutdownGateway stops (every session ends) and StartGateway starts again on the
 * address it first bound, while the management API and the disks stay up.
 */
final class Portal implements AutoCloseable {
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

    /** Sessions logged in now (0 while stopped). */
    synchronized int sessions() {
        return server == null ? 0 : server.sessions().all().size();
    }

    @Override
    public void close() {
        stop();
    }
}
