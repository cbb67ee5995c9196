package dev.ferry.engine;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** A snapshot's figures being read on a thread of their own while the dump streams. */
public final class FiguresInFlight {

    private final CompletableFuture<Inventory> figures = new CompletableFuture<>();

    /** Starts reading on a daemon thread. */
    public static FiguresInFlight start(SideBySide.SqlWork<Inventory> read) {
        FiguresInFlight inFlight = new FiguresInFlight();
        Thread thread = new Thread(() -> {
            try {
                inFlight.figures.complete(read.run());
            } catch (Throwable e) {
                inFlight.figures.completeExceptionally(e);
            }
        }, "ferry-source-figures");
        thread.setDaemon(true);
        thread.start();
        return inFlight;
    }

    public boolean done() {
        return figures.isDone();
    }

    /** The figures, waiting at most {@code deadline}; a database error is explained by {@code explain}. */
    public Inventory await(Duration deadline, String step, Function<SQLException, FerryException> explain) {
        try {
            return figures.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FerryException(ErrorCode.CONNECTION, step, "The source's figures were not read within " + deadline.toMinutes()
                    + " min", "reading every table in the dump's snapshot took longer than allowed",
                    "Raise timeoutMinutes, or compare counts only (smoke.checksums: false)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw explain.apply(sql);
            }
            throw cause instanceof RuntimeException runtime ? runtime
                    : new FerryException(ErrorCode.INTERNAL, step, "Reading the source's figures failed", String.valueOf(cause),
                    "Report this with the run's journal", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERNAL, step, "Interrupted while reading the source's figures", null, "Run again");
        }
    }
}
