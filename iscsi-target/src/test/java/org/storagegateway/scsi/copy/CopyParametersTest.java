package org.storagegateway.scsi.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.copy.CopyFixture.BLOCK;
import static org.storagegateway.scsi.copy.CopyFixture.NEXUS;
import static org.storagegateway.scsi.copy.CopyFixture.assertListPointer;
import static org.storagegateway.scsi.copy.CopyFixture.assertSense;
import static org.storagegateway.scsi.copy.CopyFixture.copyFails;
import static org.storagegateway.scsi.copy.CopyFixture.extendedCopyCdb;
import static org.storagegateway.scsi.copy.CopyFixture.list;
import static org.storagegateway.scsi.copy.CopyFixture.naa;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.sbc.DiskUnit;

/** Parameter list errors: each is ILLEGAL REQUEST with the sense SPC-3 §6.3.2 names, and nothing is copied. */
class CopyParametersTest {
    private final CopyFixture fixture = new CopyFixture();
    private final DiskUnit disk = fixture.disk(1, 4096, false);

    private static CopyFixture.ListBuilder valid() {
        return list().cscd(naa(1), BLOCK).segment(0, 0, 8, 0, 100);
    }

    private void assertIllegal(byte[] list, AdditionalSense sense) {
        assertSense(copyFails(disk, list), SenseKey.ILLEGAL_REQUEST, sense);
    }

    @Test
    void aListCutShortIsAParameterListLengthError() {
        byte[] list = valid().build();
        for (int length : new int[] {15, 16 + 31, list.length - 1}) {
            assertIllegal(Arrays.copyOf(list, length), AdditionalSense.PARAMETER_LIST_LENGTH_ERROR);
        }
    }

    @Test
    void aPartlySentListIsAParameterListLengthError() {
        byte[] list = valid().build();
        CheckCondition failure = org.junit.jupiter.api.Assertions.assertThrows(CheckCondition.class,
                () -> CopyFixture.run(disk, NEXUS, extendedCopyCdb(list.length + 10), list));
        assertSense(failure, SenseKey.ILLEGAL_REQUEST, AdditionalSense.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void descriptorListsLongerThanAdvertisedAreAParameterListLengthError() {
        CopyFixture.ListBuilder builder = list();
        for (int i = 0; i <= CopyLimits.MAX_CSCD_DESCRIPTORS; i++) {
            builder.cscd(naa(1), BLOCK);
        }
        for (int i = 0; i <= CopyLimits.MAX_SEGMENT_DESCRIPTORS; i++) {
            builder.segment(0, 0, 1, 0, 1);
        }
        assertIllegal(builder.build(), AdditionalSense.PARAMETER_LIST_LENGTH_ERROR);
    }

    @Test
    void tooManyDescriptorsOfEitherKind() {
        CopyFixture.ListBuilder targets = list();
        for (int i = 0; i <= CopyLimits.MAX_CSCD_DESCRIPTORS; i++) {
            targets.cscd(naa(1), BLOCK);
        }
        assertIllegal(targets.segment(0, 0, 1, 0, 1).build(), AdditionalSense.TOO_MANY_TARGET_DESCRIPTORS);

        CopyFixture.ListBuilder segments = list().cscd(naa(1), BLOCK);
        for (int i = 0; i <= CopyLimits.MAX_SEGMENT_DESCRIPTORS; i++) {
            segments.segment(0, 0, 1, 0, 1);
        }
        assertIllegal(segments.build(), AdditionalSense.TOO_MANY_SEGMENT_DESCRIPTORS);
    }

    @Test
    void unsupportedDescriptorTypesPointAtTheirTypeCode() {
        CheckCondition target = copyFails(disk, list().cscd(0xE0, naa(1), 0, BLOCK).segment(0, 0, 8, 0, 100).build());
        assertSense(target, SenseKey.ILLEGAL_REQUEST, AdditionalSense.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE);
        assertListPointer(target, 16);

        CheckCondition segment = copyFails(disk, list().cscd(naa(1), BLOCK).segment(0, 0, 8, 0, 100)
                .segment(0x03, 0x10, 0, 0, 0, 0, 0, 0).build());
        assertSense(segment, SenseKey.ILLEGAL_REQUEST, AdditionalSense.UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE);
        assertListPointer(segment, 16 + 32 + 28);
    }

    @Test
    void malformedFieldsAreInvalidFieldsInTheParameterList() {
        CheckCondition length = copyFails(disk, list().cscd(naa(1), BLOCK)
                .segment(0x02, 0x14, 0, 0, 0, 8, 0, 100).build());
        assertSense(length, SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST);
        assertListPointer(length, 16 + 32 + 2);

        CheckCondition usage = copyFails(disk, valid().listId(1, 0b01).build());
        assertSense(usage, SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST);
        assertEquals(new CheckCondition.FieldPointer(false, 1, 4), usage.fieldPointer());

        byte[] oddTargets = valid().build();
        oddTargets[3] = 31; // a target descriptor list length that is no whole number of descriptors
        assertSense(copyFails(disk, oddTargets), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST);
    }

    @Test
    void inlineDataIsRefused() {
        byte[] list = valid().inlineLength(4).build();
        byte[] withData = Arrays.copyOf(list, list.length + 4);
        assertIllegal(withData, AdditionalSense.INLINE_DATA_LENGTH_EXCEEDED);
    }

    @Test
    void reservedCdbBytesAreRefused() {
        byte[] list = valid().build();
        byte[] cdb = extendedCopyCdb(list.length);
        cdb[5] = 1;
        Executable run = () -> CopyFixture.run(disk, NEXUS, cdb, list);
        CheckCondition failure = org.junit.jupiter.api.Assertions.assertThrows(CheckCondition.class, run);
        assertEquals(new CheckCondition.FieldPointer(true, 5, 0), failure.fieldPointer());
    }

    @Test
    void nothingIsCopiedWhenTheListIsRefused() {
        byte[] before = CopyFixture.read(disk, 100, 8);
        CopyFixture.writePattern(disk, 0, 8, 11);
        copyFails(disk, valid().segment(0x03, 0x10, 0, 0, 0, 0, 0, 0).build());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, CopyFixture.read(disk, 100, 8));
    }
}
