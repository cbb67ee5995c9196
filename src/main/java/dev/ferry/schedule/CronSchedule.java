package dev.ferry.schedule;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.quartz.CronExpression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A migration's {@code schedule.cron} in Quartz's form (seconds first, one of day-of-month and
 * day-of-week {@code ?}): a five-field crontab line ({@code 30 2 * * SAT}, day 0 or 7 Sunday), a
 * six- or seven-field Quartz expression as it is, or {@code @hourly}, {@code @daily}, {@code @weekly},
 * {@code @monthly}, {@code @yearly}.
 */
public final class CronSchedule {

    private static final Map<String, String> ALIASES = Map.of(
            "@hourly", "0 0 * * * ?",
            "@daily", "0 0 0 * * ?",
            "@midnight", "0 0 0 * * ?",
            "@weekly", "0 0 0 ? * SUN",
            "@monthly", "0 0 0 1 * ?",
            "@yearly", "0 0 0 1 1 ?",
            "@annually", "0 0 0 1 1 ?");
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

    private CronSchedule() {
    }

    public static String toQuartz(String expression, String step) {
        String trimmed = expression.trim();
        String quartz = ALIASES.get(trimmed.toLowerCase(Locale.ROOT));
        if (quartz == null) {
            String[] fields = trimmed.split("\\s+");
            quartz = switch (fields.length) {
                case 5 -> fromCrontab(fields, expression, step);
                case 6, 7 -> trimmed;
                default -> throw bad(expression, "it has " + fields.length + " fields", step);
            };
        }
        if (!CronExpression.isValidExpression(quartz)) {
            try {
                CronExpression.validateExpression(quartz);
            } catch (java.text.ParseException e) {
                throw bad(expression, "Quartz reads it as '" + quartz + "' and says: " + e.getMessage(), step);
            }
        }
        return quartz;
    }

    private static String fromCrontab(String[] fields, String expression, String step) {
        String dayOfMonth = fields[2];
        String dayOfWeek = fields[4];
        if (!dayOfWeek.equals("*") && !dayOfMonth.equals("*")) {
            throw bad(expression, "it sets both a day of the month and a day of the week, which Quartz cannot combine", step);
        }
        if (dayOfWeek.equals("*")) {
            dayOfWeek = "?";
        } else {
            dayOfMonth = "?";
            dayOfWeek = dayNames(dayOfWeek, expression, step);
        }
        return String.join(" ", "0", fields[0], fields[1], dayOfMonth, fields[3], dayOfWeek);
    }

    /** Crontab's day numbers (0 or 7 Sunday) as names, which mean the same in Quartz (where 1 is Sunday). */
    private static String dayNames(String field, String expression, String step) {
        List<String> parts = new ArrayList<>();
        for (String part : field.split(",")) {
            String[] stepped = part.split("/", 2);
            StringBuilder range = new StringBuilder();
            for (String end : stepped[0].split("-")) {
                if (!range.isEmpty()) {
                    range.append('-');
                }
                if (end.matches("\\d+")) {
                    int day = Integer.parseInt(end);
                    if (day > 7) {
                        throw bad(expression, "day of the week " + day + " is not 0-7", step);
                    }
                    range.append(DAYS[day]);
                } else {
                    range.append(end.equals("*") ? "SUN-SAT" : end);
                }
            }
            parts.add(range + (stepped.length > 1 ? "/" + stepped[1] : ""));
        }
        return String.join(",", parts);
    }

    private static FerryException bad(String expression, String why, String step) {
        return new FerryException(ErrorCode.BAD_INPUT, step, "schedule.cron '" + expression + "' is not a schedule", why,
                "Write five crontab fields (minute hour day-of-month month day-of-week, e.g. 30 2 * * SAT), six Quartz fields"
                        + " with seconds first (0 30 2 ? * SAT), or @hourly, @daily, @weekly, @monthly");
    }
}
