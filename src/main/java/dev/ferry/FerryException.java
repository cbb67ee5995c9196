package dev.ferry;

import dev.ferry.credentials.Redactor;

/**
 * A failure Ferry can explain: which step, what failed, why, and what to do next. The message is
 * redacted of every known secret when it is built, so it is safe to log and to report.
 */
public class FerryException extends RuntimeException {

    private final ErrorCode code;
    private final String step;
    private final String what;
    private final String why;
    private final String next;

    public FerryException(ErrorCode code, String step, String what, String why, String next) {
        this(code, step, what, why, next, null);
    }

    public FerryException(ErrorCode code, String step, String what, String why, String next, Throwable cause) {
        super(Redactor.redact(format(code, step, what, why, next)), cause == null ? null : new Cause(cause));
        this.code = code;
        this.step = step;
        this.what = Redactor.redact(what);
        this.why = Redactor.redact(why);
        this.next = Redactor.redact(next);
    }

    private static String format(ErrorCode code, String step, String what, String why, String next) {
        StringBuilder text = new StringBuilder();
        if (step != null) {
            text.append('[').append(step).append("] ");
        }
        text.append(what);
        if (why != null && !why.isBlank()) {
            text.append(": ").append(why);
        }
        if (next != null && !next.isBlank()) {
            text.append(". ").append(next);
        }
        return text.append(" (").append(code).append(')').toString();
    }

    /** A copy of this failure attributed to a step, for failures raised below the step level. */
    public FerryException inStep(String stepId) {
        if (step != null) {
            return this;
        }
        FerryException copy = new FerryException(code, stepId, what, why, next, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    public ErrorCode code() {
        return code;
    }

    public String step() {
        return step;
    }

    public String what() {
        return what;
    }

    public String why() {
        return why;
    }

    public String next() {
        return next;
    }

    /** Wraps a third-party cause so that its message, too, is redacted. */
    private static final class Cause extends RuntimeException {
        Cause(Throwable original) {
            super(original.getClass().getName() + ": " + Redactor.redact(String.valueOf(original.getMessage())),
                    original.getCause() == null ? null : new Cause(original.getCause()));
            setStackTrace(original.getStackTrace());
        }
    }
}
