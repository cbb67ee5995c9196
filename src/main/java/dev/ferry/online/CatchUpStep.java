package dev.ferry.online;

import dev.ferry.ErrorCode;
import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.Setting;
import dev.ferry.spec.StepSpec;

import java.util.List;
import java.util.Set;

/**
 * {@code ferry:catch-up}: waits, the source still writable, until the target's lag in bytes (the
 * source's current WAL position minus what the target confirmed, never a time-based replay lag) is at
 * most {@code online.maxLagBytes}, printing it as it shrinks. Fails at once when the target cannot
 * apply a change (a schema change on the source, say) or the slot was lost, and at the deadline.
 */
public final class CatchUpStep implements FerryStep {

    public static final Setting MAX_LAG_BYTES = Setting.integer("online.maxLagBytes", 1024 * 1024,
            "the lag in bytes (source WAL position minus the target's confirmed one) at or below which the source is frozen");
    public static final Setting MAX_LAG_TRANSACTIONS = Setting.integer("online.maxLagTransactions", 100,
            "MariaDB: the lag in transactions (the source's GTID sequence numbers minus the target's) at or below which the source"
                    + " is frozen");
    public static final Setting TIMEOUT_SECONDS = Setting.integer("online.catchUpTimeoutSeconds", 3600,
            "how long the catch-up may take before the run fails (nothing frozen, the stream dropped)");

    public static final StepSpec SPEC = StepSpec.of("catch-up",
            "waits until the target's lag in bytes is at most online.maxLagBytes, showing it; fails on an apply error or the deadline",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.TARGET, Variables.CHANGES), Set.of()), List.of(),
            List.of(MAX_LAG_BYTES, MAX_LAG_TRANSACTIONS, TIMEOUT_SECONDS));

    private static final long POLL_MS = 250;
    private static final long SHOW_EVERY_NANOS = 5_000_000_000L;

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        ChangeStream stream = OnlineSteps.stream(execution);
        ChangeCapture capture = OnlineSteps.capture(execution, source, target);
        String unit = capture.lagUnit();
        Setting goal = unit.equals("bytes") ? MAX_LAG_BYTES : MAX_LAG_TRANSACTIONS;
        long maxLag = goal.intValue(execution.settings(), step);
        int timeout = TIMEOUT_SECONDS.intValue(execution.settings(), step);
        if (maxLag < 0 || timeout < 1) {
            throw execution.fail(ErrorCode.BAD_INPUT, goal.key() + " is " + maxLag + " and online.catchUpTimeoutSeconds " + timeout,
                    "the lag cannot be negative and the catch-up needs at least a second", "Fix the settings");
        }
        long started = System.nanoTime();
        long deadline = started + timeout * 1_000_000_000L;
        try (ChangeCapture.LagWatch watch = capture.watch(source, target, stream, step)) {
            awaitLag(execution, stream, watch, goal, unit, maxLag, timeout, started, deadline);
        }
    }

    private static void awaitLag(StepExecution execution, ChangeStream stream, ChangeCapture.LagWatch watch, Setting goal, String unit,
                                 long maxLag, int timeout, long started, long deadline) {
        ChangeCapture.Lag first = watch.lag();
        ChangeCapture.Lag lag = first;
        long shown = started;
        execution.run().console().line("  catch-up: lag " + lag.bytes() + " " + unit + ", goal <= " + maxLag);
        while (true) {
            check(execution, stream, lag);
            if (lag.bytes() <= maxLag) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw execution.fail(ErrorCode.CHANGE_CAPTURE, "The target did not catch up within " + timeout + " s",
                        "the lag is " + lag.bytes() + " " + unit + " (" + first.bytes() + " at the start), more than " + goal.key()
                                + " " + maxLag, "Nothing was frozen; the stream is dropped. Run again when the source writes less, or"
                                + " raise online.catchUpTimeoutSeconds or " + goal.key());
            }
            if (System.nanoTime() - shown > SHOW_EVERY_NANOS) {
                shown = System.nanoTime();
                execution.run().console().line("  catch-up: lag " + lag.bytes() + " " + unit + ", goal <= " + maxLag);
            }
            OnlineSteps.sleep(POLL_MS, execution);
            lag = watch.lag();
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        execution.figure("catchUpMs", tookMs);
        execution.figure(figureName("lag", unit), lag.bytes());
        execution.figure(figureName("lagAtStart", unit), first.bytes());
        execution.note("caught up in " + tookMs + " ms: lag " + lag.bytes() + " " + unit + " (goal <= " + maxLag + "; "
                + first.bytes() + " at the start)");
    }

    /** lagBytes, lagTransactions: a figure's name says its unit. */
    static String figureName(String figure, String unit) {
        return figure + Character.toUpperCase(unit.charAt(0)) + unit.substring(1);
    }

    /** Fails on a lost slot or on any change the target could not apply since it began to follow (its subscription is the run's own). */
    static void check(StepExecution execution, ChangeStream stream, ChangeCapture.Lag now) {
        if (now.slotLost() && stream.replicatedByBinlog()) {
            throw execution.fail(ErrorCode.CHANGE_CAPTURE, "The source no longer has the binary log the target needs",
                    "its replication " + stream.subscription() + " stopped with error 1236 (the source purged binary logs not yet read)",
                    "Keep the source's binary logs longer (binlog_expire_logs_seconds), then start a new run");
        }
        if (now.slotLost()) {
            throw execution.fail(ErrorCode.CHANGE_CAPTURE, "The source lost the slot " + stream.slot(),
                    "it removed WAL the target had not received (max_slot_wal_keep_size)",
                    "Raise max_slot_wal_keep_size on the source, then start a new run");
        }
        if (now.applyErrors() > 0) {
            throw execution.fail(ErrorCode.CHANGE_CAPTURE, "The target failed to apply a change of the source",
                    stream.replicatedByBinlog() ? "its replication " + stream.subscription() + " stopped on an SQL error: a row"
                            + " changed on the target, or a schema change the target could not apply; SHOW SLAVE '"
                            + stream.subscription() + "' STATUS (Last_SQL_Error) and the target's error log name it"
                            : "its subscription " + stream.subscription() + " counted " + now.applyErrors()
                            + " apply error(s): a schema change (DDL) on the source, which is not replicated, or a row changed on the"
                            + " target; the target's server log names it",
                    "Nothing was frozen; the stream is dropped. Make no schema changes during an online cutover, and run again");
        }
    }
}
