package org.storagegateway.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.InvalidPduException;
import org.storagegateway.iscsi.pdu.RejectReason;
import org.storagegateway.iscsi.pdu.TextRequestPdu;

/**
 * One Text Request/Response exchange in full feature phase (RFC 7143 §11.10, §11.11): gathers a request sent in
 * several PDUs (C bit), has it answered, and hands the answer out in pieces no larger than the initiator's
 * MaxRecvDataSegmentLength, each further piece requested by an empty Text Request echoing the Target Transfer Tag.
 * Confined to the connection's event loop.
 */
final class TextExchange {
    /** Request text kept at most; SendTargets and friends are tiny (RFC 7143 §6.1 bounds values to 8192). */
    static final int MAX_REQUEST_TEXT = 65_536;

    /** Answers a whole request text. */
    interface Responder {
        byte[] respond(byte[] requestText);
    }

    private final Responder responder;
    private int initiatorTaskTag = Bhs.NO_TAG;
    private ByteArrayOutputStream request;
    private byte[] response;
    private int responseOffset;
    private int targetTransferTag = Bhs.NO_TAG;

    TextExchange(Responder responder) {
        this.responder = responder;
    }

    /**
     * Takes one Text Request with its data and returns what to send back: the response's flags, TTT and data.
     *
     * @param newTag a fresh TTT, used if this answer is not the last
     */
    Reply accept(TextRequestPdu pdu, ByteBuf data, int maxPieceLength, int newTag) {
        boolean sameExchange = pdu.initiatorTaskTag() == initiatorTaskTag
                && (pdu.targetTransferTag() == targetTransferTag || (request != null && response == null));
        if (!sameExchange) {
            if (pdu.targetTransferTag() != Bhs.NO_TAG) {
                throw new InvalidPduException(RejectReason.INVALID_PDU_FIELD, String.format(
                        "Text Request TTT 0x%08x continues no exchange", pdu.targetTransferTag()));
            }
            reset();
            initiatorTaskTag = pdu.initiatorTaskTag();
            request = new ByteArrayOutputStream();
        }
        if (response == null) {
            if (request.size() + data.readableBytes() > MAX_REQUEST_TEXT) {
                reset();
                throw new InvalidPduException(RejectReason.PROTOCOL_ERROR, "Text Request longer than 64 KiB");
            }
            byte[] bytes = new byte[data.readableBytes()];
            data.getBytes(data.readerIndex(), bytes);
            request.writeBytes(bytes);
            if (pdu.continueFlag()) {
                // RFC 7143 §11.10.2: more request text follows; answer with an empty response.
                targetTransferTag = newTag;
                return new Reply(false, false, newTag, Unpooled.EMPTY_BUFFER);
            }
            response = responder.respond(request.toByteArray());
            responseOffset = 0;
        }
        int length = Math.min(maxPieceLength, response.length - responseOffset);
        ByteBuf piece = Unpooled.wrappedBuffer(response, responseOffset, length);
        responseOffset += length;
        if (responseOffset >= response.length) {
            reset();
            return new Reply(true, false, Bhs.NO_TAG, piece);
        }
        targetTransferTag = newTag;
        return new Reply(false, true, newTag, piece);
    }

    /** What to answer: F and C bits, TTT and the data piece. */
    record Reply(boolean finalFlag, boolean continueFlag, int targetTransferTag, ByteBuf data) {
    }

    void reset() {
        initiatorTaskTag = Bhs.NO_TAG;
        targetTransferTag = Bhs.NO_TAG;
        request = null;
        response = null;
        responseOffset = 0;
    }
}
