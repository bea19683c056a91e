package org.storagegateway.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Write data is held as it arrives: nothing for what the EDTL claims, one buffer per stage, the bytes in order. */
class WriteDataTest {
    private static final int LENGTH = 1 << 20;
    private static final int FIRST_BURST = 64 << 10;

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    private final byte[] bytes = random(LENGTH);

    private static byte[] random(int length) {
        byte[] data = new byte[length];
        new Random(42).nextBytes(data);
        return data;
    }

    private long used() {
        return allocator.metric().usedDirectMemory();
    }

    private ByteBuf part(int offset, int length) {
        return Unpooled.copiedBuffer(bytes, offset, length);   // heap, and no larger buffer behind it
    }

    private static byte[] contents(ByteBuffer view) {
        byte[] out = new byte[view.remaining()];
        view.duplicate().get(out);
        return out;
    }

    @Test
    void aClaimAloneAllocatesNothing() {
        WriteData data = new WriteData(allocator, LENGTH, 0, null);
        assertEquals(0, used());
        assertEquals(0, data.received());
        assertThrows(IllegalStateException.class, data::view, "the data is not all here");
        data.release();
    }

    @Test
    void immediateDataThatIsTheWholeWriteIsUsedWhereItLies() {
        ByteBuf immediate = allocator.directBuffer(4096).writeBytes(bytes, 0, 4096);
        long before = used();
        WriteData data = new WriteData(allocator, 4096, 4096, immediate);
        assertEquals(before, used(), "no copy");
        assertArrayEquals(Arrays.copyOf(bytes, 4096), contents(data.view()));
        data.release();
        assertEquals(0, immediate.refCnt());
        assertEquals(0, used());
    }

    @Test
    void aSmallSliceOfALargeReceiveBufferIsCopiedRatherThanKeptAlive() {
        ByteBuf receiveBuffer = allocator.directBuffer(256 << 10).writeBytes(bytes, 0, 256 << 10);
        ByteBuf immediate = receiveBuffer.retainedSlice(100, 512);
        receiveBuffer.release();   // the decoder is done with it; only the slice holds it now
        WriteData data = new WriteData(allocator, 512, 512, immediate);
        assertEquals(0, receiveBuffer.refCnt(), "the receive buffer is free");
        assertEquals(512, used());
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 612), contents(data.view()));
        data.release();
        assertEquals(0, used());
    }

    @Test
    void unsolicitedDataTakesAtMostTheFirstBurstAndSolicitedDataTheWholeOnlyWhenItComes() {
        WriteData data = new WriteData(allocator, LENGTH, FIRST_BURST, part(0, 8192));
        assertEquals(0, used(), "immediate data stays in its frame");
        data.append(part(8192, 8192), false);
        assertEquals(FIRST_BURST, used(), "a first-burst buffer, not the EDTL");
        data.append(part(16384, FIRST_BURST - 16384), false);
        assertEquals(FIRST_BURST, used());
        assertEquals(FIRST_BURST, data.received());
        data.append(part(FIRST_BURST, 4096), true);
        assertEquals(LENGTH, used(), "the whole transfer once solicited data flows; the first burst moved in");
        data.append(part(FIRST_BURST + 4096, LENGTH - FIRST_BURST - 4096), true);
        assertArrayEquals(bytes, contents(data.view()));
        data.release();
        assertEquals(0, used());
        data.release();   // idempotent
    }

    @Test
    void writesThatNeedOnlyR2tsAllocateOnTheFirstSolicitedByte() {
        WriteData data = new WriteData(allocator, LENGTH, 0, null);
        data.append(Unpooled.EMPTY_BUFFER, true);
        assertEquals(0, used());
        data.append(part(0, 1), true);
        assertEquals(LENGTH, used());
        data.append(part(1, LENGTH - 1), true);
        assertArrayEquals(bytes, contents(data.view()));
        data.release();
    }

    @Test
    void overrunsAreRefused() {
        WriteData data = new WriteData(allocator, 1024, 512, null);
        assertThrows(IllegalStateException.class, () -> data.append(part(0, 513), false));
        data.append(part(0, 512), false);
        assertThrows(IllegalStateException.class, () -> data.append(part(512, 513), true));
        assertThrows(IllegalArgumentException.class, () -> new WriteData(allocator, 10, 11, null));
        data.release();
    }
}
