package dev.ferry.cutover;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cutover's maintenance window ({@code cutover.window}): one ISO-8601 interval
 * ({@code 2026-12-05T01:00+01:00/2026-12-05T05:00+01:00}, or {@code start/PT4H}), or a weekly one
 * ({@code SAT 01:00-05:00 Europe/Berlin}; days as {@code SAT}, {@code SAT,SUN} or {@code MON-FRI};
 * UTC without a zone; an end before the start runs past midnight).
 */
public final class CutoverWindow {

    /** One occurrence of the window. */
    public record Span(Instant start, Instant end) {
        public Duration left(Instant now) {
            return Duration.between(now, end);
        }
    }

    private static final Pattern WEEKLY = Pattern.compile(
            "([A-Za-z]{3}(?:[-,][A-Za-z]{3})*)\\s+(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})(?:\\s+(\\S+))?");

    private final String text;
    private final Span once;
    private final Set<DayOfWeek> days;
    private final LocalTime from;
    private final LocalTime to;
    private final ZoneId zone;

    private CutoverWindow(String text, Span once, Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
        this.text = text;
        this.once = once;
        this.days = days;
        this.from = from;
        this.to = to;
        this.zone = zone;
    }

    public static CutoverWindow parse(String text, String step) {
        String trimmed = text.trim();
        try {
            if (!trimmed.isEmpty() && Character.isDigit(trimmed.charAt(0)) && trimmed.contains("/")) {
                String[] ends = trimmed.split("/", 2);
                Instant start = OffsetDateTime.parse(ends[0].trim()).toInstant();
                Instant end = ends[1].trim().startsWith("P") ? start.plus(Duration.parse(ends[1].trim()))
                        : OffsetDateTime.parse(ends[1].trim()).toInstant();
                if (!end.isAfter(start)) {
                    throw bad(text, "its end is not after its start", step);
                }
                return new CutoverWindow(trimmed, new Span(start, end), null, null, null, null);
            }
            Matcher weekly = WEEKLY.matcher(trimmed);
            if (weekly.matches()) {
                ZoneId zone = weekly.group(4) == null ? ZoneOffset.UTC : ZoneId.of(weekly.group(4));
                LocalTime from = LocalTime.parse(pad(weekly.group(2)));
                LocalTime to = LocalTime.parse(pad(weekly.group(3)));
                if (from.equals(to)) {
                    throw bad(text, "it starts and ends at the same time", step);
                }
                return new CutoverWindow(trimmed, null, days(weekly.group(1), text, step), from, to, zone);
            }
        } catch (DateTimeException e) {
            throw bad(text, e.getMessage(), step);
        }
        throw bad(text, "it is neither an ISO-8601 interval nor a weekly window", step);
    }

    private static String pad(String time) {
        return time.length() == 4 ? "0" + time : time;
    }

    private static Set<DayOfWeek> days(String text, String window, String step) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",")) {
            String[] range = part.split("-");
            DayOfWeek first = day(range[0], window, step);
            DayOfWeek last = range.length > 1 ? day(range[1], window, step) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String window, String step) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().substring(0, 3).equalsIgnoreCase(name)) {
                return day;
            }
        }
        throw bad(window, "'" + name + "' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)", step);
    }

    private static FerryException bad(String text, String why, String step) {
        return new FerryException(ErrorCode.BAD_INPUT, step, "cutover.window '" + text + "' is not a window", why,
                "Write an ISO-8601 interval such as 2026-12-05T01:00+01:00/2026-12-05T05:00+01:00, or a weekly window such as"
                        + " SAT 01:00-05:00 Europe/Berlin");
    }

    /** The occurrence of the window that {@code now} falls in, if any. */
    public Optional<Span> containing(Instant now) {
        if (once != null) {
            return !now.isBefore(once.start()) && now.isBefore(once.end()) ? Optional.of(once) : Optional.empty();
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        for (LocalDate day = today.minusDays(1); !day.isAfter(today); day = day.plusDays(1)) {
            Optional<Span> span = on(day);
            if (span.isPresent() && !now.isBefore(span.get().start()) && now.isBefore(span.get().end())) {
                return span;
            }
        }
        return Optional.empty();
    }

    /** The next occurrence starting after {@code now}, if any (for messages). */
    public Optional<Span> next(Instant now) {
        if (once != null) {
            return once.start().isAfter(now) ? Optional.of(once) : Optional.empty();
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        for (int i = 0; i <= 7; i++) {
            Optional<Span> span = on(today.plusDays(i));
            if (span.isPresent() && span.get().start().isAfter(now)) {
                return span;
            }
        }
        return Optional.empty();
    }

    private Optional<Span> on(LocalDate day) {
        if (!days.contains(day.getDayOfWeek())) {
            return Optional.empty();
        }
        ZonedDateTime start = day.atTime(from).atZone(zone);
        ZonedDateTime end = (to.isAfter(from) ? day : day.plusDays(1)).atTime(to).atZone(zone);
        return Optional.of(new Span(start.toInstant(), end.toInstant()));
    }

    public String describe() {
        return text;
    }

    /** An instant as the window's own zone shows it. */
    public String show(Instant instant) {
        ZoneId shown = zone != null ? zone : ZoneOffset.UTC;
        return instant.atZone(shown).toOffsetDateTime().withNano(0).toString() + (zone != null ? " " + zone : "");
    }

    @Override
    public String toString() {
        return text.toUpperCase(Locale.ROOT);
    }
}
