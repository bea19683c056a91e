package org.storagegateway.iscsi.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.iscsi.codec.FrameDecoder;
import org.storagegateway.iscsi.codec.PduEncoder;
import org.storagegateway.iscsi.login.LoginSettings;
import org.storagegateway.iscsi.login.PortalAddress;
import org.storagegateway.iscsi.login.SessionParameters;
import org.storagegateway.iscsi.session.LoginHandler;
import org.storagegateway.iscsi.session.PortalContext;
import org.storagegateway.iscsi.session.SessionRegistry;
import org.storagegateway.iscsi.session.SessionShutdown;
import org.storagegateway.iscsi.target.TargetCatalog;

/**
 * An iSCSI portal: a Netty server (epoll where available, NIO otherwise) serving every target of a
 * {@link TargetCatalog} on one address. Build with {@link #builder()}, then {@link #start()}; {@link #close()} stops
 * accepting, lets commands in flight finish, closes the connections and stops the threads.
 */
public final class IscsiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IscsiServer.class);
    /** The IANA port for iSCSI (RFC 7143 §4.1). */
    public static final int DEFAULT_PORT = 3260;

    private final Builder settings;
    private final SessionRegistry registry = new SessionRegistry();
    private final ChannelGroup connections = new DefaultChannelGroup("iscsi-connections",
            GlobalEventExecutor.INSTANCE);
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ThreadPoolExecutor commandExecutor;
    private Channel serverChannel;
    private int port;

    private IscsiServer(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving; returns once the socket listens. */
    public synchronized IscsiServer start() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, ioHandlers);
        workerGroup = new MultiThreadIoEventLoopGroup(settings.ioThreads, ioHandlers);
        commandExecutor = new ThreadPoolExecutor(settings.commandThreads, settings.commandThreads, 60,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.commandQueueLength), namedThreads());
        commandExecutor.allowCoreThreadTimeOut(true);

        List<PortalAddress> portals = settings.portals;
        PortalContext portal = new PortalContext(settings.catalog, settings.loginSettings, portals,
                settings.portalGroupTag, registry, commandExecutor, settings.maxTransferLength,
                settings.effectiveWriteBudget(), settings.nopInterval, settings.nopTimeout, new SecureRandom());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, settings.allocator)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(4 << 20, 16 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline()
                                .addLast("frame-decoder",
                                        new FrameDecoder(SessionParameters.LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH))
                                .addLast("pdu-encoder", new PduEncoder())
                                .addLast("login", new LoginHandler(portal));
                    }
                });
        serverChannel = bootstrap.bind(settings.bindAddress).sync().channel();
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        log.info("iSCSI portal listening on {} ({})", serverChannel.localAddress(), epoll ? "epoll" : "NIO");
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public synchronized int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    /** The live sessions, for status pages and tests. */
    public SessionRegistry sessions() {
        return registry;
    }

    /**
     * Stops accepting, lets commands in flight finish (up to the drain timeout), closes every connection and shuts
     * the threads down.
     */
    @Override
    public synchronized void close() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        try {
            SessionShutdown.drainAll(registry).get(settings.drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("sessions did not drain within {}: closing anyway", settings.drainTimeout);
        }
        connections.close().awaitUninterruptibly(settings.drainTimeout.toMillis());
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        commandExecutor.shutdown();
        serverChannel = null;
        log.info("iSCSI portal on port {} closed", port);
    }

    private static java.util.concurrent.ThreadFactory namedThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "iscsi-command-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configures an {@link IscsiServer}. */
    public static final class Builder {
        /** The write budget per connection when none is set (raised to the maximum transfer length if below). */
        public static final long DEFAULT_WRITE_BUDGET = 128L << 20;

        private InetSocketAddress bindAddress = new InetSocketAddress(DEFAULT_PORT);
        private TargetCatalog catalog;
        private LoginSettings loginSettings = LoginSettings.defaults();
        private List<PortalAddress> portals = new ArrayList<>();
        private int portalGroupTag = 1;
        private int maxTransferLength = 64 << 20;
        private long writeBudget;
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        private Duration nopInterval = Duration.ofSeconds(30);
        private Duration nopTimeout = Duration.ofSeconds(30);
        private Duration drainTimeout = Duration.ofSeconds(10);
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int commandThreads = 32;
        private int commandQueueLength = 8192;

        private Builder() {
        }

        /** Where to listen; port 0 picks a free port (see {@link IscsiServer#port()}). */
        public Builder bind(InetSocketAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder catalog(TargetCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        public Builder loginSettings(LoginSettings settings) {
            this.loginSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The addresses SendTargets advertises (RFC 7143 Appendix C); their TPGT is this portal's. */
        public Builder portals(List<PortalAddress> portals) {
            this.portals = List.copyOf(portals);
            return this;
        }

        /** This portal's TPGT (RFC 7143 §4.4.1), 1–65535. */
        public Builder portalGroupTag(int tag) {
            if (tag < 1 || tag > 0xFFFF) {
                throw new IllegalArgumentException("portal group tag must be 1-65535, was " + tag);
            }
            this.portalGroupTag = tag;
            return this;
        }

        /** The largest EDTL accepted; larger commands end in CHECK CONDITION (default 64 MiB). */
        public Builder maxTransferLength(int bytes) {
            if (bytes < 512) {
                throw new IllegalArgumentException("maximum transfer length was " + bytes);
            }
            this.maxTransferLength = bytes;
            return this;
        }

        /**
         * Per connection, how much solicited write data may be buffered or asked for by R2Ts at once; writes beyond
         * it wait for earlier ones to finish (default {@value #DEFAULT_WRITE_BUDGET} bytes, or the maximum transfer
         * length when that is larger). It may not be below the maximum transfer length.
         */
        public Builder writeBudget(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("write budget was " + bytes);
            }
            this.writeBudget = bytes;
            return this;
        }

        /** The buffer allocator of the connections (default {@link ByteBufAllocator#DEFAULT}); tests meter one. */
        public Builder allocator(ByteBufAllocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
            return this;
        }

        /** Idle time before a NOP-In ping and how long its answer may take; a zero interval disables pings. */
        public Builder nopInterval(Duration interval, Duration timeout) {
            this.nopInterval = Objects.requireNonNull(interval, "interval");
            this.nopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long {@link IscsiServer#close()} waits for commands in flight. */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Netty I/O threads (default: one per core). */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("I/O threads was " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /** Threads and queue length for commands that may block on storage. */
        public Builder commandExecutor(int threads, int queueLength) {
            if (threads < 1 || queueLength < 1) {
                throw new IllegalArgumentException(String.format("executor %d threads, queue %d", threads,
                        queueLength));
            }
            this.commandThreads = threads;
            this.commandQueueLength = queueLength;
            return this;
        }

        private long effectiveWriteBudget() {
            return writeBudget != 0 ? writeBudget : Math.max(DEFAULT_WRITE_BUDGET, maxTransferLength);
        }

        public IscsiServer build() {
            if (catalog == null) {
                throw new IllegalStateException("a target catalog is required");
            }
            if (writeBudget != 0 && writeBudget < maxTransferLength) {
                throw new IllegalStateException(String.format(
                        "write budget %d is below the maximum transfer length %d: such a write could never run",
                        writeBudget, maxTransferLength));
            }
            return new IscsiServer(this);
        }
    }
}
