package org.storagegateway.gateway.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The status page ops staff open in a browser: gateway health, the volumes (size, mode, cache use, data not yet
 * uploaded, latest recovery point), the cache and upload buffer, upload progress, the tape library, and what went
 * wrong lately. Plain HTML rendered here, no script, reloading itself every {@link #REFRESH_SECONDS} seconds.
 */
public final class StatusPage {
    static final int REFRESH_SECONDS = 10;

    /** Everything the page shows, gathered at one moment. */
    public record Status(String gatewayId, String gatewayName, boolean serving, String servingDetail, int sessions,
                         List<Volume> volumes, Cache cache, Uploads uploads, String tapeLibrary,
                         List<String> problems) {
    }

    /**
     * One volume's row.
     *
     * @param lastRecoveryPoint its latest recovery point, or null (none yet, or a stored volume, which has none)
     */
    public record Volume(String name, String volumeId, String mode, long sizeBytes, long usedBytes, long dirtyBytes,
                         String target, boolean attached, Instant lastRecoveryPoint) {
    }

    /** The cache's figures; null on a gateway without a cache. */
    public record Cache(long capacityBytes, double percentUsed, double percentDirty, double hitPercent,
                        long uploadBufferUsed, long uploadBufferBytes) {
    }

    /** The uploader's counters since the start; null without an object store. */
    public record Uploads(long chunksUploaded, long bytesUploaded, long failures, long pendingBytes) {
    }

    private StatusPage() {
    }

    /** The page, as of {@code now}. */
    public static String render(Status status, Instant now) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>").append(escape(status.gatewayName())).append(" · storage gateway</title>")
                .append("<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
                .append("th,td{border:1px solid #ccc;padding:.3em .7em;text-align:left;white-space:nowrap}")
                .append("td.n{text-align:right}.up{color:#060}.down{color:#a00}</style></head><body>\n");
        html.append("<h1>").append(escape(status.gatewayName())).append(" <small>")
                .append(escape(status.gatewayId())).append("</small></h1>\n");
        html.append("<p id=\"health\" class=\"").append(status.serving() ? "up" : "down").append("\">")
                .append(status.serving() ? "Serving" : "Not serving").append(": ")
                .append(escape(status.servingDetail())).append("; ").append(status.sessions())
                .append(" iSCSI sessions. As of ").append(now).append(".</p>\n");
        volumes(html, status.volumes(), now);
        cache(html, status.cache(), status.uploads());
        html.append("<h2>Tape library</h2>\n<p id=\"tapes\">").append(escape(status.tapeLibrary())).append("</p>\n");
        html.append("<h2>Problems</h2>\n<ul id=\"problems\">");
        if (status.problems().isEmpty()) {
            html.append("<li>None.</li>");
        }
        status.problems().forEach(problem -> html.append("<li>").append(escape(problem)).append("</li>"));
        return html.append("</ul>\n</body></html>\n").toString();
    }

    private static void volumes(StringBuilder html, List<Volume> volumes, Instant now) {
        html.append("<h2>Volumes</h2>\n");
        if (volumes.isEmpty()) {
            html.append("<p>No volumes.</p>\n");
            return;
        }
        html.append("<table id=\"volumes\"><tr><th>Volume</th><th>Id</th><th>Mode</th><th>Size</th>")
                .append("<th>In cache</th><th>Not yet uploaded</th><th>Latest recovery point</th><th>Target</th></tr>");
        for (Volume volume : volumes) {
            html.append("<tr><td>").append(escape(volume.name())).append("</td><td>").append(escape(volume.volumeId()))
                    .append("</td><td>").append(escape(volume.mode())).append("</td><td class=\"n\">")
                    .append(bytes(volume.sizeBytes())).append("</td><td class=\"n\">").append(bytes(volume.usedBytes()))
                    .append("</td><td class=\"n\">").append(bytes(volume.dirtyBytes())).append("</td><td>")
                    .append(volume.lastRecoveryPoint() == null ? "—" : ago(volume.lastRecoveryPoint(), now))
                    .append("</td><td>").append(volume.attached() ? escape(volume.target()) : "detached")
                    .append("</td></tr>");
        }
        html.append("</table>\n");
    }

    private static void cache(StringBuilder html, Cache cache, Uploads uploads) {
        html.append("<h2>Cache and uploads</h2>\n");
        if (cache == null) {
            html.append("<p>This gateway has no cache: its disks are memory or file disks.</p>\n");
            return;
        }
        html.append("<table id=\"cache\">")
                .append(row("Cache capacity", bytes(cache.capacityBytes())))
                .append(row("Cache used", percent(cache.percentUsed())))
                .append(row("Cache dirty", percent(cache.percentDirty())))
                .append(row("Cache hits", percent(cache.hitPercent())))
                .append(row("Upload buffer", bytes(cache.uploadBufferUsed()) + " of "
                        + bytes(cache.uploadBufferBytes())));
        if (uploads != null) {
            html.append(row("Waiting to upload", bytes(uploads.pendingBytes())))
                    .append(row("Uploaded since start", uploads.chunksUploaded() + " chunks, "
                            + bytes(uploads.bytesUploaded())))
                    .append(row("Failed uploads since start (retried)", Long.toString(uploads.failures())));
        }
        html.append("</table>\n");
    }

    private static String row(String name, String value) {
        return "<tr><th>" + escape(name) + "</th><td class=\"n\">" + escape(value) + "</td></tr>";
    }

    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f %%", value);
    }

    private static String ago(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        String age = seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
        return age + " ago (" + then + ")";
    }

    /** Escapes text for HTML, so a volume's or a snapshot error's text cannot become markup. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
