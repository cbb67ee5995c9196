package dev.ferry.everest;

import dev.ferry.everest.api.EverestDocuments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a DataImporter's {@code config} against its {@code openAPIV3Schema} the way Everest's
 * admission does, before anything is created: the subset importers use — {@code type} (object,
 * string, integer, number, boolean, array), {@code properties}, {@code required}, {@code enum},
 * {@code minimum}/{@code maximum}, {@code minLength}/{@code maxLength}, {@code pattern},
 * {@code items} — with {@code additionalProperties} false everywhere, as Everest applies it.
 */
public final class ConfigSchema {

    private ConfigSchema() {
    }

    /** Every way {@code value} breaks {@code schema}, one sentence each; empty when it fits. */
    public static List<String> problems(Map<String, Object> schema, Object value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "config", problems);
        return problems;
    }

    /**
     * Converts a setting's text into the schema's type for a property, so {@code everest.config.jobs: "2"}
     * becomes the integer 2. Text that does not convert stays text (and the check then says so).
     */
    public static Object convert(Map<String, Object> schema, String property, String text) {
        Map<String, Object> properties = EverestDocuments.map(schema, "properties");
        Map<String, Object> declared = properties == null ? null : EverestDocuments.map(properties, property);
        String type = declared == null ? null : EverestDocuments.text(declared, "type");
        if (type == null) {
            return text;
        }
        try {
            return switch (type) {
                case "integer" -> Long.parseLong(text.trim());
                case "number" -> Double.parseDouble(text.trim());
                case "boolean" -> switch (text.trim()) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> text;
                };
                default -> text;
            };
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static void check(Map<String, Object> schema, Object value, String where, List<String> problems) {
        String type = EverestDocuments.text(schema, "type");
        if (type != null && !hasType(value, type)) {
            problems.add(where + " must be " + article(type) + " " + type + ", not " + describe(value));
            return;
        }
        List<Object> allowed = EverestDocuments.list(schema, "enum");
        if (!allowed.isEmpty() && allowed.stream().noneMatch(a -> a.toString().equals(String.valueOf(value)))) {
            problems.add(where + " must be one of " + allowed + ", not " + value);
        }
        if (value instanceof Number number) {
            Object minimum = EverestDocuments.at(schema, "minimum");
            Object maximum = EverestDocuments.at(schema, "maximum");
            if (minimum instanceof Number min && number.doubleValue() < min.doubleValue()) {
                problems.add(where + " must be at least " + min + ", not " + value);
            }
            if (maximum instanceof Number max && number.doubleValue() > max.doubleValue()) {
                problems.add(where + " must be at most " + max + ", not " + value);
            }
        }
        if (value instanceof String text) {
            Object minLength = EverestDocuments.at(schema, "minLength");
            Object maxLength = EverestDocuments.at(schema, "maxLength");
            String pattern = EverestDocuments.text(schema, "pattern");
            if (minLength instanceof Number min && text.length() < min.intValue()) {
                problems.add(where + " must be at least " + min + " characters long");
            }
            if (maxLength instanceof Number max && text.length() > max.intValue()) {
                problems.add(where + " must be at most " + max + " characters long");
            }
            if (pattern != null && !Pattern.compile(pattern).matcher(text).find()) {
                problems.add(where + " must match " + pattern + ", not '" + text + "'");
            }
        }
        if (value instanceof Map<?, ?> object) {
            Map<String, Object> properties = EverestDocuments.map(schema, "properties");
            for (Object required : EverestDocuments.list(schema, "required")) {
                if (!object.containsKey(required)) {
                    problems.add(where + "." + required + " is required");
                }
            }
            object.forEach((key, child) -> {
                Map<String, Object> declared = properties == null ? null : EverestDocuments.map(properties, key.toString());
                if (declared == null) {
                    problems.add(where + "." + key + " is not a property the importer knows"
                            + (properties == null ? "" : " (it knows " + properties.keySet() + ")"));
                } else {
                    check(declared, child, where + "." + key, problems);
                }
            });
        }
        if (value instanceof List<?> list) {
            Map<String, Object> items = EverestDocuments.map(schema, "items");
            if (items != null) {
                for (int i = 0; i < list.size(); i++) {
                    check(items, list.get(i), where + "[" + i + "]", problems);
                }
            }
        }
    }

    private static boolean hasType(Object value, String type) {
        return switch (type) {
            case "object" -> value instanceof Map<?, ?>;
            case "array" -> value instanceof List<?>;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "integer" -> value instanceof Integer || value instanceof Long
                    || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()));
            case "number" -> value instanceof Number;
            default -> true;
        };
    }

    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : value == null ? "null" : value.getClass().getSimpleName().toLowerCase() + " " + value;
    }

    private static String article(String type) {
        return type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an" : "a";
    }
}
