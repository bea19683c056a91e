package org.storagegateway.iscsi.testing;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.login.PortalAddress;
import org.storagegateway.iscsi.server.IscsiServer;
import org.storagegateway.iscsi.target.ChapPolicy;
import org.storagegateway.iscsi.target.TargetCatalog;
import org.storagegateway.iscsi.target.TargetDefinition;

/** A running portal on an ephemeral loopback port with one fake disk target (and optionally a CHAP one). */
public final class TestPortal implements AutoCloseable {
    public static final String TARGET = "iqn.2026-01.org.storagegateway:disk0";
    public static final String CHAP_TARGET = "iqn.2026-01.org.storagegateway:secure";

    public final FakeScsiDevice device;
    public final FakeScsiDevice chapDevice = new FakeScsiDevice(64, false);
    public final IscsiServer server;

    public TestPortal(FakeScsiDevice device, LoginSettings settings, ChapPolicy chap, int maxTransfer)
            throws InterruptedException {
        this(device, settings, chap, maxTransfer, builder -> { });
    }

    /** A portal whose server builder the test adjusts further (write budget, allocator...). */
    public TestPortal(FakeScsiDevice device, LoginSettings settings, ChapPolicy chap, int maxTransfer,
                      Consumer<IscsiServer.Builder> adjust) throws InterruptedException {
        this.device = device;
        TargetCatalog catalog = new TargetCatalog();
        catalog.add(new TargetDefinition(TARGET, "disk zero", Set.of(), ChapPolicy.NONE, device));
        if (chap != null) {
            catalog.add(new TargetDefinition(CHAP_TARGET, null, Set.of(), chap, chapDevice));
        }
        IscsiServer.Builder builder = IscsiServer.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .catalog(catalog)
                .loginSettings(settings)
                .portals(List.of(new PortalAddress("127.0.0.1", 3260, 1)))
                .maxTransferLength(maxTransfer)
                .nopInterval(Duration.ZERO, Duration.ZERO)
                .ioThreads(2)
                .commandExecutor(48, 1024)
                .drainTimeout(Duration.ofSeconds(5));
        adjust.accept(builder);
        server = builder.build().start();
    }

    public TestPortal(FakeScsiDevice device) throws InterruptedException {
        this(device, LoginSettings.defaults(), null, 16 << 20);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
