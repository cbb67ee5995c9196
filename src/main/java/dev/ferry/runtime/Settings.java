package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A migration's settings: the pipeline's parameter defaults, overlaid by the migration file's
 * parameters, overlaid by {@code --set}. Values are raw text as written (a placeholder such as
 * {@code {{env:PGPASSWORD}}} stays unresolved here) so they are safe to journal; {@link #resolved}
 * gives a copy with placeholders resolved for the steps.
 */
public final class Settings {

    /** In the tests: reading a setting that no spec declares is a bug (a setting users could not know of, or a typo in the code). */
    private static final boolean STRICT = Boolean.getBoolean("ferry.strictSettings");

    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public Optional<String> find(String key) {
        if (STRICT && !key.startsWith(PipelineDefinition.STEP_PARAMETER_PREFIX) && dev.ferry.spec.Specs.loaded().setting(key).isEmpty()) {
            throw new IllegalStateException("Setting '" + key + "' is read but declared by no spec");
        }
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String get(String key, String defaultValue) {
        return find(key).orElse(defaultValue);
    }

    public String require(String key, String step) {
        return find(key).orElseThrow(() -> new FerryException(ErrorCode.MISSING_INPUT, step,
                "Setting '" + key + "' is not set", null,
                "Add it to the migration file's parameters or pass --set " + key + "=..."));
    }

    public int getInt(String key, int defaultValue, String step) {
        Optional<String> value = find(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Setting '" + key + "' is not a number",
                    "it is '" + value.get() + "'", "Give a whole number");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue, String step) {
        Optional<String> value = find(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().trim().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new FerryException(ErrorCode.BAD_INPUT, step, "Setting '" + key + "' is not true or false",
                    "it is '" + value.get() + "'", "Give true or false");
        };
    }

    /** Settings under a prefix, with the prefix removed: {@code withPrefix("source.")}. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }

    public Settings resolved(UnaryOperator<String> resolver) {
        Map<String, String> result = new LinkedHashMap<>();
        values.forEach((k, v) -> result.put(k, v == null ? null : resolver.apply(v)));
        return new Settings(result);
    }

    /** Whether a key names a secret, so its value must never be shown, journaled or given on a command line. */
    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase();
        return (lower.endsWith("password") || lower.endsWith("secretkey") || lower.endsWith("secret")
                || lower.endsWith("token")) && !lower.endsWith("file") && !lower.endsWith("env");
    }

    /** The settings as they may be shown: secret values written inline are masked, placeholders kept. */
    public Map<String, String> forDisplay() {
        Map<String, String> result = new TreeMap<>();
        values.forEach((k, v) -> result.put(k, isSecretKey(k) && v != null && !v.startsWith("{{") ? "****" : v));
        return result;
    }
}
