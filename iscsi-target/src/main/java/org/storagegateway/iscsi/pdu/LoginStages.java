package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** The T/C/CSG/NSG flag byte shared by Login Request and Response (RFC 7143 §11.12.1–§11.12.3). */
final class LoginStages {
    static final int TRANSIT_BIT = 0x80;
    static final int CONTINUE_BIT = 0x40;
    /** Stage 2 is reserved (RFC 7143 §11.12.3). */
    static final int RESERVED_STAGE = 2;

    private LoginStages() {
    }

    static int currentStage(ByteBuf bhs) {
        return (Bhs.flags(bhs) >> 2) & 0x03;
    }

    static int nextStage(ByteBuf bhs) {
        return Bhs.flags(bhs) & 0x03;
    }

    static int flags(boolean transit, boolean continueFlag, int currentStage, int nextStage) {
        return (transit ? TRANSIT_BIT : 0) | (continueFlag ? CONTINUE_BIT : 0) | (currentStage << 2) | nextStage;
    }

    static void validate(boolean transit, boolean continueFlag, int currentStage, int nextStage) {
        if (currentStage < 0 || currentStage > 3 || currentStage == RESERVED_STAGE) {
            throw new IllegalArgumentException("invalid CSG " + currentStage);
        }
        if (nextStage < 0 || nextStage > 3 || (transit && nextStage == RESERVED_STAGE)) {
            throw new IllegalArgumentException("invalid NSG " + nextStage);
        }
        if (transit && continueFlag) {
            throw new IllegalArgumentException("T and C bits both set (RFC 7143 §11.12.2)");
        }
    }

    static byte[] isid(byte[] isid) {
        if (isid == null || isid.length != 6) {
            throw new IllegalArgumentException("ISID must be 6 bytes");
        }
        return isid.clone();
    }

    static byte[] readIsid(ByteBuf bhs) {
        byte[] isid = new byte[6];
        bhs.getBytes(bhs.readerIndex() + 8, isid);
        return isid;
    }
}
