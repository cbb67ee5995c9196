package dev.ferry.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ferry.credentials.Redactor;

/** Logback's {@code %redactedMessage}: the log message with every known secret masked. */
public final class RedactingMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Redactor.redact(event.getFormattedMessage());
    }
}
