package org.storagegateway.gateway.http;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on Netty for the appliance's management and metrics endpoints: whole requests up to a
 * bounded size, each answered by a {@link Responder} on a worker thread (answers may wait on the cache or the object
 * store, which the network thread must never do).
 */
public final class HttpService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpService.class);

    private final String name;
    private final Responder responder;
    private final int maxBody;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService workers;
    private Channel channel;

    /** A request as it arrived: method, path and query as sent, headers (names as sent), body. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header, by case-insensitive name, or null. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }
    }

    /**
     * A response: status, content type, extra headers, and a body either in memory or a range of a file, which is
     * sent from the file without being read into the heap (archives run to gigabytes).
     */
    public record Response(int status, String contentType, Map<String, String> headers, byte[] body, Path file,
                           long fileOffset, long fileLength) {
        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, Map.of(), body, null, 0, 0);
        }

        public Response(int status, String contentType, Map<String, String> headers, byte[] body) {
            this(status, contentType, headers, body, null, 0, 0);
        }

        /** {@code length} bytes of {@code file} from {@code offset}. */
        public static Response ofFile(int status, String contentType, Map<String, String> headers, Path file,
                                      long offset, long length) {
            return new Response(status, contentType, headers, null, file, offset, length);
        }

        long contentLength() {
            return file != null ? fileLength : body.length;
        }
    }

    /** Answers one request; runs on a worker thread. */
    @FunctionalInterface
    public interface Responder {
        Response respond(Request request);
    }

    /**
     * @param name      for thread names and logs
     * @param responder answers requests
     * @param maxBody   the largest request body accepted; larger requests get 413
     * @param workers   how many requests may be answered at once
     */
    public HttpService(String name, Responder responder, int maxBody, int workers) {
        this.name = name;
        this.responder = responder;
        this.maxBody = maxBody;
        this.workers = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts listening on {@code address} (port 0: any free port). */
    public HttpService start(InetSocketAddress address) throws InterruptedException {
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(maxBody),
                                    new RequestHandler());
                        }
                    })
                    .bind(address).sync().channel();
            return this;
        } catch (InterruptedException e) {
            close();
            throw e;
        } catch (Exception e) {
            // Netty rethrows the bind's own exception (a checked BindException, say) without declaring it.
            close();
            throw new IllegalStateException(name + " cannot listen on " + address.getHostString() + ":"
                    + address.getPort() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdown();
    }

    /** Hands whole requests to a worker and writes what it answers. */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                send(ctx, false, new Response(400, "text/plain; charset=utf-8",
                        ("malformed HTTP request: " + request.decoderResult().cause()).getBytes()));
                return;
            }
            Request copied = copy(request);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            try {
                workers.execute(() -> send(ctx, keepAlive, respond(copied)));
            } catch (RejectedExecutionException e) {
                send(ctx, false, new Response(503, "text/plain; charset=utf-8", "shutting down".getBytes()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: connection failed: {}", name, cause.toString());
            ctx.close();
        }
    }

    private Response respond(Request request) {
        try {
            return responder.respond(request);
        } catch (RuntimeException e) {
            LOG.error("{}: answering {} {} failed: {}", name, request.method(), request.path(), e.toString(), e);
            return new Response(500, "text/plain; charset=utf-8", ("internal error: " + e).getBytes());
        }
    }

    private static Request copy(FullHttpRequest request) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.computeIfAbsent(header.getKey(), key -> new ArrayList<>()).add(header.getValue());
        }
        return new Request(request.method().name(), question < 0 ? uri : uri.substring(0, question),
                question < 0 ? "" : uri.substring(question + 1), headers, ByteBufUtil.getBytes(request.content()));
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, Response answer) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(answer.status());
        HttpResponse head = answer.file() == null
                ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(answer.body()))
                : new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        answer.headers().forEach((name, value) -> head.headers().set(name, value));
        HttpUtil.setContentLength(head, answer.contentLength());
        HttpUtil.setKeepAlive(head, keepAlive);
        ctx.executor().execute(() -> {
            ChannelFuture written;
            if (answer.file() == null) {
                written = ctx.writeAndFlush(head);
            } else {
                ctx.write(head);
                ctx.write(new DefaultFileRegion(answer.file().toFile(), answer.fileOffset(), answer.fileLength()));
                written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        });
    }
}
