package org.storagegateway.gateway.snapshot;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A volume's snapshot schedule, as AWS Storage Gateway's UpdateSnapshotSchedule takes it: a snapshot every
 * {@code recurrenceInHours} hours from {@code startAt} o'clock in the gateway's time zone, with a description and
 * tags, plus how many scheduled snapshots to keep.
 *
 * @param startAt           the hour of the day (0-23) of the first snapshot of each day
 * @param recurrenceInHours hours between snapshots: 1, 2, 4, 8, 12 or 24 (AWS's values; each divides a day, so
 *                          every day has the same snapshot hours)
 * @param description       given to every snapshot the schedule takes; null for none
 * @param tags              given to every snapshot too, besides {@link SnapshotScheduler#SCHEDULE_TAG}
 * @param retain            the scheduled snapshots kept (1-1000), the oldest deleted beyond; null keeps them all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotSchedule(String volumeId, int startAt, int recurrenceInHours, String description,
                               Map<String, String> tags, Integer retain) {
    /** The recurrences AWS allows. */
    public static final List<Integer> RECURRENCES = List.of(1, 2, 4, 8, 12, 24);
    public static final int MAX_RETAIN = 1000;
    /** AWS's limits on a description and on tags. */
    static final int MAX_DESCRIPTION = 255;
    static final int MAX_TAGS = 50;
    static final int MAX_TAG_KEY = 128;
    static final int MAX_TAG_VALUE = 256;
    /** Keys under this prefix are the gateway's own, so a user's tag cannot pass for a schedule's mark. */
    static final String RESERVED_TAG_PREFIX = "sgw:";

    public SnapshotSchedule {
        ResourceIds.requireVolumeId(volumeId);
        requireHour("startAt", startAt);
        requireRecurrence("recurrenceInHours", recurrenceInHours);
        if (description != null && (description.isEmpty() || description.length() > MAX_DESCRIPTION)) {
            throw new IllegalArgumentException("description: must be 1-" + MAX_DESCRIPTION + " characters, was "
                    + description.length());
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        requireTags(tags);
        requireRetain("retain", retain);
    }

    /** Checks an hour of the day; {@code field} names it in the message (the API's and the configuration's). */
    public static void requireHour(String field, int hour) {
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException(field + ": must be an hour of the day, 0-23, was " + hour);
        }
    }

    /** Checks a recurrence against AWS's values. */
    public static void requireRecurrence(String field, int hours) {
        if (!RECURRENCES.contains(hours)) {
            throw new IllegalArgumentException(field + ": must be one of " + RECURRENCES + ", was " + hours);
        }
    }

    /** Checks a retention count: 1-1000, or null for every scheduled snapshot. */
    public static void requireRetain(String field, Integer retain) {
        if (retain != null && (retain < 1 || retain > MAX_RETAIN)) {
            throw new IllegalArgumentException(field + ": must be 1-" + MAX_RETAIN + " (or absent to keep every "
                    + "scheduled snapshot), was " + retain);
        }
    }

    private static void requireTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("tags: at most " + MAX_TAGS + ", were " + tags.size());
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            if (key.isEmpty() || key.length() > MAX_TAG_KEY) {
                throw new IllegalArgumentException("tags: a key must be 1-" + MAX_TAG_KEY + " characters, was \""
                        + key + "\"");
            }
            if (key.startsWith(RESERVED_TAG_PREFIX)) {
                throw new IllegalArgumentException("tags: keys starting with " + RESERVED_TAG_PREFIX
                        + " are the gateway's own, was \"" + key + "\"");
            }
            if (tag.getValue().length() > MAX_TAG_VALUE) {
                throw new IllegalArgumentException("tags: the value of " + key + " must be at most "
                        + MAX_TAG_VALUE + " characters, was " + tag.getValue().length());
            }
        }
    }

    /** The first run strictly after {@code instant}. */
    public Instant nextRunAfter(Instant instant, ZoneId zone) {
        LocalDate today = instant.atZone(zone).toLocalDate();
        // Three days of candidates cover every case: a run is at most 24 hours (25 across a DST change) away.
        for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(1)); day = day.plusDays(1)) {
            for (int hour = startAt % recurrenceInHours; hour < 24; hour += recurrenceInHours) {
                Instant run = run(day, hour, zone);
                if (run.isAfter(instant)) {
                    return run;
                }
            }
        }
        throw new IllegalStateException("no run within a day of " + instant);
    }

    /** The latest run at or before {@code instant}. */
    public Instant lastRunAtOrBefore(Instant instant, ZoneId zone) {
        LocalDate today = instant.atZone(zone).toLocalDate();
        for (LocalDate day = today.plusDays(1); !day.isBefore(today.minusDays(1)); day = day.minusDays(1)) {
            for (int hour = 23 - (23 - startAt % recurrenceInHours) % recurrenceInHours; hour >= 0;
                 hour -= recurrenceInHours) {
                Instant run = run(day, hour, zone);
                if (!run.isAfter(instant)) {
                    return run;
                }
            }
        }
        throw new IllegalStateException("no run within a day of " + instant);
    }

    /**
     * The run at that local hour: an hour a DST change skips runs at the first instant after the gap, an hour it
     * repeats runs once, at its first occurrence.
     */
    private static Instant run(LocalDate day, int hour, ZoneId zone) {
        return ZonedDateTime.ofLocal(day.atTime(hour, 0), zone, null).toInstant();
    }
}
