package org.storagegateway.scsi.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract, plus what only the file device promises: persistence and a conservative reopen. */
class FileBlockDeviceTest extends BlockDeviceContractTest {
    @TempDir
    Path directory;
    private int files;

    @Override
    protected BlockDevice create(long size) throws IOException {
        return FileBlockDevice.open(directory.resolve("volume-" + files++ + ".img"), size);
    }

    @Override
    protected int allocationUnit() {
        return FileBlockDevice.CHUNK_SIZE;
    }

    @Test
    void dataSurvivesReopeningAndEverythingBelowTheLengthIsReportedMapped() throws IOException {
        Path path = directory.resolve("persist.img");
        byte[] data = new byte[4096];
        data[7] = 42;
        try (FileBlockDevice device = FileBlockDevice.open(path, SIZE)) {
            device.write(8192, ByteBuffer.wrap(data), true);
        }
        try (FileBlockDevice device = FileBlockDevice.open(path, SIZE)) {
            ByteBuffer back = ByteBuffer.allocate(4096);
            device.read(8192, back);
            assertArrayEquals(data, back.array());
            assertEquals(List.of(new BlockDevice.Extent(0, SIZE, true)), device.mapping(0, SIZE, 4));
            assertTrue(device.mayBlock());
            assertTrue(device.volatileWriteCache());
        }
        assertEquals(SIZE, Files.size(path));
        assertThrows(IllegalArgumentException.class, () -> FileBlockDevice.open(path, SIZE - 1));
    }
}
