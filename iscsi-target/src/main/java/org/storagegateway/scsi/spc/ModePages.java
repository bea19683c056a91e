package org.storagegateway.scsi.spc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.storagegateway.scsi.device.ModePage;

/** The mode pages of one logical unit: the device's own plus the control mode page, in page/subpage order. */
final class ModePages {
    /** PAGE CODE 3Fh: return all pages (SPC-4 §7.5.1, table 453). */
    static final int ALL_PAGES = 0x3F;
    /** SUBPAGE CODE FFh: return all subpages (SPC-4 §7.5.1). */
    static final int ALL_SUBPAGES = 0xFF;

    private ModePages() {
    }

    static List<ModePage> of(SpcContext context) {
        List<ModePage> pages = new ArrayList<>(context.unit().modePages());
        for (ModePage page : pages) {
            if (page.pageCode() == ControlModePage.PAGE_CODE && page.subpageCode() == 0) {
                throw new IllegalStateException("the control mode page is the SCSI layer's");
            }
        }
        pages.add(context.control());
        pages.sort(Comparator.comparingInt(ModePage::pageCode).thenComparingInt(ModePage::subpageCode));
        return pages;
    }

    /** The pages a MODE SENSE asks for with this PAGE CODE and SUBPAGE CODE. */
    static List<ModePage> select(List<ModePage> pages, int pageCode, int subpageCode) {
        List<ModePage> selected = new ArrayList<>();
        for (ModePage page : pages) {
            boolean pageMatches = pageCode == ALL_PAGES || page.pageCode() == pageCode;
            boolean subpageMatches = subpageCode == ALL_SUBPAGES || page.subpageCode() == subpageCode;
            if (pageMatches && subpageMatches) {
                selected.add(page);
            }
        }
        return selected;
    }

    /** The page with exactly this code and subpage, or null. */
    static ModePage find(List<ModePage> pages, int pageCode, int subpageCode) {
        for (ModePage page : pages) {
            if (page.pageCode() == pageCode && page.subpageCode() == subpageCode) {
                return page;
            }
        }
        return null;
    }
}
