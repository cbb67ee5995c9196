package dev.ferry.everest.api;

import java.util.List;
import java.util.Map;

/** Reads fields out of Everest resources held as plain maps (a GenericKubernetesResource, a REST answer). */
public final class EverestDocuments {

    private EverestDocuments() {
    }

    /** The value at a path of field names, or null. */
    public static Object at(Map<String, Object> document, String... path) {
        Object current = document;
        for (String field : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(field);
        }
        return current;
    }

    public static String text(Map<String, Object> document, String... path) {
        Object value = at(document, path);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> document, String... path) {
        Object value = at(document, path);
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> document, String... path) {
        Object value = at(document, path);
        return value instanceof List<?> ? (List<Object>) value : List.of();
    }
}
