package dev.ferry.spec;

import org.apache.camel.util.URISupport;

import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A step's endpoint URI taken apart: {@code ferry:smoke-test?checksums=false} is kind smoke-test,
 * one option. The options are read as Camel reads them ({@code RAW(...)} values kept as written).
 */
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
            try {
                URISupport.parseQuery(rest.substring(query + 1), true).forEach((name, value) -> options.put(name, String.valueOf(value)));
            } catch (URISyntaxException e) {
                options.put(rest.substring(query + 1), "");
            }
        }
        return new StepUri(scheme, kind, options);
    }
}
