package dev.ferry.spec;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Settings;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One setting a step, a credential source or an engine reads, declared once: its name, its type,
 * its one default and what it means. A name may be a pattern: {@code <side>} stands for
 * {@code source} or {@code target}, {@code <name>} for one word of the user's, and a trailing
 * {@code .*} for anything below (such as {@code everest.spec.*}).
 */
public record Setting(String key, Type type, String defaultValue, List<String> choices, String description, boolean required) {

    public enum Type { TEXT, INTEGER, COUNT, FLAG, CHOICE, SECRET }

    public static final List<String> SIDES = List.of("source", "target");
    private static final List<String> TRUE_WORDS = List.of("true", "yes", "on", "1");
    private static final List<String> FALSE_WORDS = List.of("false", "no", "off", "0");

    public static Setting text(String key, String defaultValue, String description) {
        return new Setting(key, Type.TEXT, defaultValue, List.of(), description, false);
    }

    public static Setting integer(String key, int defaultValue, String description) {
        return new Setting(key, Type.INTEGER, Integer.toString(defaultValue), List.of(), description, false);
    }

    /** A whole number of 0 or more (how many of something to keep, say). */
    public static Setting count(String key, int defaultValue, String description) {
        return new Setting(key, Type.COUNT, Integer.toString(defaultValue), List.of(), description, false);
    }

    /** A whole number with no default: unset means something of its own (such as the engine's port). */
    public static Setting integer(String key, String description) {
        return new Setting(key, Type.INTEGER, null, List.of(), description, false);
    }

    public static Setting flag(String key, boolean defaultValue, String description) {
        return new Setting(key, Type.FLAG, Boolean.toString(defaultValue), List.of(), description, false);
    }

    /** True or false with no default: unset means something of its own. */
    public static Setting flag(String key, String description) {
        return new Setting(key, Type.FLAG, null, List.of(), description, false);
    }

    public static Setting choice(String key, String defaultValue, String description, String... choices) {
        return new Setting(key, Type.CHOICE, defaultValue, List.of(choices), description, false);
    }

    public static Setting secret(String key, String description) {
        return new Setting(key, Type.SECRET, null, List.of(), description, false);
    }

    /** The same setting, which must be given (an endpoint option such as ferry:assert's sql). */
    public Setting mandatory() {
        return new Setting(key, type, defaultValue, choices, description, true);
    }

    public boolean isPattern() {
        return key.contains("<") || key.endsWith(".*");
    }

    /** Whether a setting's name is this one's, or one this pattern stands for. */
    public boolean matches(String name) {
        if (!isPattern()) {
            return key.equals(name);
        }
        return pattern().matcher(name).matches();
    }

    private Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        String rest = key.endsWith(".*") ? key.substring(0, key.length() - 2) : key;
        for (String part : rest.split("(?=<)|(?<=>)")) {
            switch (part) {
                case "<side>" -> regex.append("(source|target)");
                case "<name>" -> regex.append("[^.]+");
                default -> regex.append(Pattern.quote(part));
            }
        }
        if (key.endsWith(".*")) {
            regex.append("\\..+");
        }
        return Pattern.compile(regex.toString());
    }

    /** This setting for one side: {@code <side>.port} for {@code target} is {@code target.port}. */
    public Setting forSide(String side) {
        return new Setting(key.replace("<side>", side), type, defaultValue, choices, description, required);
    }

    /** What is wrong with a value given for this setting, or null; a placeholder ({@code {{env:X}}}) is checked when resolved. */
    public String problem(String value) {
        if (value == null || value.isBlank() || value.contains("{{")) {
            return null;
        }
        String trimmed = value.trim();
        return switch (type) {
            case INTEGER -> trimmed.matches("-?\\d{1,9}") ? null : "is not a whole number";
            case COUNT -> trimmed.matches("\\d{1,9}") ? null : "is not a whole number of 0 or more";
            case FLAG -> TRUE_WORDS.contains(trimmed.toLowerCase(Locale.ROOT)) || FALSE_WORDS.contains(trimmed.toLowerCase(Locale.ROOT))
                    ? null : "is not true or false";
            case CHOICE -> choices.contains(trimmed) ? null : "is not one of " + String.join(", ", choices);
            case TEXT, SECRET -> null;
        };
    }

    public String text(Settings settings) {
        return settings.get(key, defaultValue);
    }

    public int intValue(Settings settings, String step) {
        return settings.getInt(key, defaultValue == null ? 0 : Integer.parseInt(defaultValue), step);
    }

    public boolean flag(Settings settings, String step) {
        return settings.getBoolean(key, Boolean.parseBoolean(defaultValue), step);
    }

    public String choice(Settings settings, String step) {
        String value = settings.get(key, defaultValue);
        if (value != null && !choices.contains(value.trim())) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Setting '" + key + "' is '" + value + "'", null,
                    "Use one of " + String.join(", ", choices));
        }
        return value == null ? null : value.trim();
    }

    /** A value from an endpoint option when given, else from this setting. */
    public String text(java.util.Map<String, String> options, String option, Settings settings) {
        String given = options.get(option);
        return given != null ? given : text(settings);
    }
}
