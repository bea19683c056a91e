package org.storagegateway.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A task's data-in buffers: direct, exactly as long as asked, all given back once, also when asked for twice. */
class DataInBuffersTest {
    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);

    private long used() {
        return allocator.metric().usedDirectMemory();
    }

    @Test
    void handsOutDirectBuffersOfTheLengthAskedFor() {
        DataInBuffers buffers = new DataInBuffers(allocator);
        assertFalse(buffers.holding());
        ByteBuffer buffer = buffers.allocate(4096);
        assertTrue(buffer.isDirect());
        assertEquals(0, buffer.position());
        assertEquals(4096, buffer.limit());
        assertEquals(4096, buffer.capacity());
        assertTrue(buffers.holding());
        buffers.release();
        assertFalse(buffers.holding());
        assertEquals(0, used());
    }

    @Test
    void releasesEveryBufferOnceWhenTheLastPduIsWritten() {
        DataInBuffers buffers = new DataInBuffers(allocator);
        buffers.allocate(1 << 20);
        buffers.allocate(512);
        buffers.allocate(8192);
        assertEquals((1 << 20) + 512 + 8192, used());
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.writeAndFlush("last PDU", channel.newPromise().addListener(buffers));
        assertEquals(0, used());
        buffers.release();   // a second release (the task aborted meanwhile, say) changes nothing
        assertEquals(0, used());
        assertThrows(IllegalStateException.class, () -> buffers.allocate(1), "no buffer after the release");
        channel.finishAndReleaseAll();
    }
}
