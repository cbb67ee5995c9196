package dev.ferry.runtime;

import dev.ferry.credentials.Redactor;

import java.io.PrintStream;

/** Where Ferry talks to people: one line per step, warnings, the summary. Every line is redacted. */
public final class Console {

    private final PrintStream out;
    private final PrintStream err;

    public Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static Console system() {
        return new Console(System.out, System.err);
    }

    public static Console silent() {
        PrintStream nowhere = new PrintStream(java.io.OutputStream.nullOutputStream());
        return new Console(nowhere, nowhere);
    }

    public void line(String text) {
        out.println(Redactor.redact(text));
        out.flush();
    }

    public void warn(String text) {
        err.println(Redactor.redact("warning: " + text));
        err.flush();
    }

    public void error(String text) {
        err.println(Redactor.redact(text));
        err.flush();
    }
}
