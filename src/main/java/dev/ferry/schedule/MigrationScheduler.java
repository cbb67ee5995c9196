package dev.ferry.schedule;

import dev.ferry.runtime.Console;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Starts migrations at their cron times with camel-quartz, until stopped (or, with a limit, after
 * that many starts have ended). Each migration runs on a thread of its own so the trigger never
 * waits; a start that finds the migration's previous run still going is skipped and logged.
 */
public final class MigrationScheduler implements AutoCloseable {

    /** One scheduled migration: its file, name, Quartz expression and time zone. */
    public record Entry(Path file, String name, String quartzCron, String timeZone) {
    }

    /** What one run ended with, for the log line: its id, status and exit code. */
    public record Outcome(String runId, String status, int exitCode) {
    }

    private final CamelContext camel = new DefaultCamelContext();
    private final ExecutorService runs = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "ferry-scheduled-run");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentHashMap<String, Boolean> running = new ConcurrentHashMap<>();
    private final Console console;
    private final CountDownLatch finished;
    private final AtomicInteger starts = new AtomicInteger();
    private final int maxRuns;

    /** @param maxRuns stop after this many runs have ended (0: run until stopped) */
    public MigrationScheduler(Console console, int maxRuns) {
        this.console = console;
        this.maxRuns = maxRuns;
        this.finished = new CountDownLatch(maxRuns > 0 ? maxRuns : 1);
    }

    public void start(List<Entry> entries, Function<Path, Outcome> runner) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < entries.size(); i++) {
                    Entry entry = entries.get(i);
                    // a trigger name is a URI path segment: the index keeps two names that clean up alike apart
                    String trigger = i + "-" + entry.name().replaceAll("[^A-Za-z0-9_-]", "-");
                    from("quartz://ferry/" + trigger + "?cron=" + entry.quartzCron().replace(' ', '+')
                            + "&trigger.timeZone=" + entry.timeZone())
                            .routeId("schedule-" + i)
                            .process(exchange -> fire(entry, runner));
                }
            }
        });
        camel.start();
        for (Entry entry : entries) {
            console.line("schedule: " + entry.name() + " at '" + entry.quartzCron() + "' (" + entry.timeZone() + ", Quartz) from "
                    + entry.file());
        }
    }

    private void fire(Entry entry, Function<Path, Outcome> runner) {
        if (maxRuns > 0 && starts.get() >= maxRuns) {
            return;
        }
        if (running.putIfAbsent(entry.name(), Boolean.TRUE) != null) {
            console.line("schedule: " + entry.name() + " skipped at " + Instant.now() + ": its previous run is still going");
            return;
        }
        int number = starts.incrementAndGet();
        console.line("schedule: " + entry.name() + " starts (start " + number + ") at " + Instant.now());
        runs.submit(() -> {
            try {
                Outcome outcome = runner.apply(entry.file());
                console.line("schedule: " + entry.name() + " run " + outcome.runId() + " " + outcome.status() + " (exit "
                        + outcome.exitCode() + ") at " + Instant.now());
            } catch (RuntimeException e) {
                console.line("schedule: " + entry.name() + " failed to start: " + e.getMessage());
            } finally {
                running.remove(entry.name());
                if (maxRuns > 0) {
                    finished.countDown();
                }
            }
        });
    }

    /** Waits until stopped (the process is signalled), or until the limit of runs has ended. */
    public void await() throws InterruptedException {
        finished.await();
    }

    @Override
    public void close() {
        try {
            camel.stop();
        } finally {
            runs.shutdown();
            try {
                runs.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
