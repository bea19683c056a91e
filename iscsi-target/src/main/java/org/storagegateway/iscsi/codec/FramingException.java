package org.storagegateway.iscsi.codec;

import io.netty.handler.codec.DecoderException;

/** Input the framing decoder cannot frame; the connection must close (RFC 7143 §7.8, §6.7). */
public final class FramingException extends DecoderException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** A data segment longer than the MaxRecvDataSegmentLength we declared (RFC 7143 §13.12). */
        DATA_SEGMENT_TOO_LONG,
        /** A header digest that does not match: the PDU boundary itself is suspect (RFC 7143 §7.8). */
        HEADER_DIGEST_ERROR
    }

    private final Kind kind;

    public FramingException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
