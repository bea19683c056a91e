package org.storagegateway.gateway.api;

/** What ShutdownGateway and StartGateway act on: the gateway's data path (its iSCSI portal). */
public interface GatewayPower {
    /** Whether the gateway serves its volumes now. */
    boolean running();

    /** Stops serving; the management API stays up to start it again. */
    void shutdown();

    /** Serves again. */
    void start() throws Exception;
}
