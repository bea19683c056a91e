package org.storagegateway.gateway.api;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API's HTTP endpoint: the AWS JSON 1.1 protocol of the Storage Gateway API ({@code POST /} with
 * {@code X-Amz-Target: StorageGateway_20130630.<Operation>}), every request checked by {@link SigV4Verifier} before
 * anything else, operations run off the network threads (they may wait on the cache or the object store), and
 * errors as the AWS SDKs parse them ({@code __type}, {@code message}, and the service's {@code error.errorCode}).
 */
public final class ManagementServer implements AutoCloseable {
    /** The target prefix of the service model. */
    public static final String TARGET_PREFIX = "StorageGateway_20130630.";
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** The largest request body accepted; the model's largest inputs (tag lists, CHAP secrets) are far smaller. */
    private static final int MAX_BODY = 1 << 20;
    private static final int WORKERS = 4;

    private final ObjectMapper json = new ObjectMapper();
    private final SigV4Verifier verifier;
    private final Map<String, ApiOperation> operations;
    private final Clock clock;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
        Thread thread = new Thread(runnable, "management-api");
        thread.setDaemon(true);
        return thread;
    });
    private Channel channel;

    /** One operation of the API: its input as sent, its output as the model shapes it. */
    @FunctionalInterface
    public interface ApiOperation {
        ObjectNode handle(JsonNode input) throws ApiException;
    }

    public ManagementServer(SigV4Verifier verifier, Map<String, ApiOperation> operations, Clock clock) {
        this.verifier = verifier;
        this.operations = Map.copyOf(operations);
        this.clock = clock;
    }

    /** Starts listening on {@code address} (port 0: any free port) and returns this server. */
    public ManagementServer start(InetSocketAddress address) throws InterruptedException {
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new RequestHandler());
                    }
                })
                .bind(address).sync().channel();
        LOG.info("Management API (AWS Storage Gateway, JSON 1.1, SigV4) on http://{}:{}/",
                address.getHostString(), port());
        return this;
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

    /** Reads whole requests and answers each from a worker thread. */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                send(ctx, false, error(ApiException.protocol("SerializationException", 400,
                        "malformed HTTP request: " + request.decoderResult().cause())));
                return;
            }
            SigV4Verifier.SignedRequest signed = signedRequest(request);
            String target = request.headers().get("X-Amz-Target");
            boolean post = request.method().equals(HttpMethod.POST);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            try {
                workers.execute(() -> send(ctx, keepAlive, answer(post, signed, target)));
            } catch (RejectedExecutionException e) {
                send(ctx, false, error(ApiException.internal("the gateway is shutting down")));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Management API connection failed: {}", cause.toString());
            ctx.close();
        }
    }

    private static SigV4Verifier.SignedRequest signedRequest(FullHttpRequest request) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.computeIfAbsent(header.getKey(), key -> new ArrayList<>()).add(header.getValue());
        }
        return new SigV4Verifier.SignedRequest(request.method().name(),
                question < 0 ? uri : uri.substring(0, question), question < 0 ? "" : uri.substring(question + 1),
                headers, ByteBufUtil.getBytes(request.content()));
    }

    /** A response: its status and JSON body. */
    private record Answer(int status, byte[] body) {
    }

    private Answer answer(boolean post, SigV4Verifier.SignedRequest request, String target) {
        try {
            verifier.verify(request, clock.instant());
            if (!post) {
                throw ApiException.protocol("UnknownOperationException", 400,
                        "the Storage Gateway API takes POST requests, not " + request.method());
            }
            ApiOperation operation = target == null || !target.startsWith(TARGET_PREFIX) ? null
                    : operations.get(target.substring(TARGET_PREFIX.length()));
            if (operation == null) {
                throw ApiException.protocol("UnknownOperationException", 400, target == null
                        ? "the request has no X-Amz-Target header" : "unknown operation " + target);
            }
            JsonNode input = parse(request.body());
            return new Answer(200, json.writeValueAsBytes(operation.handle(input)));
        } catch (ApiException e) {
            return error(e);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.error("Management API operation {} failed: {}", target, e.toString(), e);
            return error(ApiException.internal("the operation failed inside the gateway: " + e.getMessage()));
        }
    }

    private JsonNode parse(byte[] body) throws ApiException {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode input = json.readTree(body);
            if (input == null || !input.isObject()) {
                throw ApiException.protocol("SerializationException", 400, "the request body must be a JSON object");
            }
            return input;
        } catch (JsonProcessingException e) {
            throw ApiException.protocol("SerializationException", 400,
                    "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.protocol("SerializationException", 400, "the request body cannot be read");
        }
    }

    private Answer error(ApiException e) {
        ObjectNode body = json.createObjectNode();
        body.put("__type", e.type());
        body.put("message", e.getMessage());
        if (e.errorCode() != null) {
            body.putObject("error").put("errorCode", e.errorCode());
        }
        return new Answer(e.status(), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, Answer answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        response.headers().set("x-amzn-RequestId", UUID.randomUUID().toString());
        HttpUtil.setContentLength(response, answer.body().length);
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.executor().execute(() -> {
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        });
    }
}
