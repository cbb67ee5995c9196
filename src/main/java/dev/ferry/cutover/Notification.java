package dev.ferry.cutover;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Posts a run's summary (JSON, redacted) to a webhook URL and says how it went. */
public final class Notification {

    private static final Duration CONNECT_WITHIN = Duration.ofSeconds(10);

    private Notification() {
    }

    /** @return the HTTP status; any status outside 2xx, a timeout or a refused connection throws */
    public static int post(String url, String json, Duration timeout, String step) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "notify.url '" + url + "' is not a URL", e.getMessage(),
                    "Give an http:// or https:// URL");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_WITHIN).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .header("User-Agent", "ferry").POST(HttpRequest.BodyPublishers.ofString(Redactor.redact(json), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new FerryException(ErrorCode.CONNECTION, step, "The webhook " + uri.getHost() + " answered HTTP " + response.statusCode(),
                        shorten(response.body()), "Check notify.url and what the receiver expects");
            }
            return response.statusCode();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.CONNECTION, step, "Could not post the summary to " + uri.getHost(),
                    e.getClass().getSimpleName() + ": " + e.getMessage() + " (within " + timeout.toSeconds() + " s)",
                    "Check notify.url and that the receiver is up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.CONNECTION, step, "Interrupted while posting the summary", null, "Run again");
        }
    }

    private static String shorten(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
