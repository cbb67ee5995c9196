package dev.ferry.spec;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A step's endpoint URI taken apart: {@code ferry:smoke-test?checksums=false} is kind smoke-test, one option. */
public record StepUri(String scheme, String kind, Map<String, String> options) {

    public static StepUri parse(String uri) {
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? "" : uri.substring(0, colon);
        String rest = colon < 0 ? uri : uri.substring(colon + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int query = rest.indexOf('?');
        String kind = query < 0 ? rest : rest.substring(0, query);
        Map<String, String> options = new LinkedHashMap<>();
        if (query >= 0) {
            for (String pair : splitOptions(rest.substring(query + 1))) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                options.put(name, value.startsWith("RAW(") ? value : URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return new StepUri(scheme, kind, options);
    }

    /** Splits on {@code &} outside Camel's {@code RAW(...)} values, which may hold any character. */
    private static java.util.List<String> splitOptions(String query) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (query.startsWith("RAW(", i)) {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            }
            if (c == '&' && depth == 0) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (!part.isEmpty()) {
            parts.add(part.toString());
        }
        return parts;
    }
}
