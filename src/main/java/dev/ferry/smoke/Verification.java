package dev.ferry.smoke;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.Inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Compares a target with what it should hold: the snapshot figures of its artifact (what the dump
 * holds), or a live source whose writes are frozen. The migration's checks are compared too: a
 * check expecting {@code source} with its value in the snapshot (or on the live source), others
 * with their literal.
 */
public final class Verification {

    /** What was compared and every difference found. */
    public record Result(String against, Inventory expected, Inventory actual, List<String> differences) {

        public boolean equal() {
            return differences.isEmpty();
        }

        public String summary(boolean checksums) {
            return "compared " + expected.tables().size() + " tables (" + expected.rows() + " rows" + (checksums ? ", content checksums" : "")
                    + "), " + expected.counters().size() + " counters, " + expected.objectCount() + " other objects in "
                    + expected.objects().size() + " classes and " + actual.checks().size() + " checks with " + against;
        }
    }

    private Verification() {
    }

    /** Sets the checks' queries the target (or a live source) answers, by name. */
    public static Map<String, String> checkQueries(List<CustomCheck> checks, boolean onlyThoseExpectingSource) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (CustomCheck check : checks) {
            if (check.sql() != null && (!onlyThoseExpectingSource || check.comparesWithSource())) {
                queries.put(check.name(), check.sql());
            }
        }
        return queries;
    }

    public static Result againstSnapshot(Inventory snapshot, Engine engine, DatabaseEndpoint target, List<CustomCheck> checks,
                                         boolean checksums, int jobs, String step) {
        boolean hashed = checksums && snapshot.rowHash() != null;
        FigureRequest request = new FigureRequest(hashed, snapshot.rowHash(), checkQueries(checks, false), jobs);
        Inventory actual = engine.inventory(target, request, step);
        Inventory expected = hashed ? snapshot : withoutChecksums(snapshot);
        List<String> differences = new ArrayList<>(InventoryComparison.differences(expected, actual));
        differences.addAll(checkDifferences(checks, snapshot, actual, "the snapshot"));
        return new Result("the dump's snapshot", expected, actual, differences);
    }

    /** Compares with the live source, both read side by side (each server hashes its own rows). */
    public static Result againstLiveSource(Engine sourceEngine, DatabaseEndpoint source, Engine targetEngine, DatabaseEndpoint target,
                                           List<CustomCheck> checks, boolean checksums, String rowHash, int jobs, String step) {
        FigureRequest sourceRequest = new FigureRequest(checksums, rowHash, checkQueries(checks, true), jobs);
        CompletableFuture<Inventory> fromSource = CompletableFuture.supplyAsync(() -> sourceEngine.inventory(source, sourceRequest, step));
        Inventory actual = targetEngine.inventory(target, new FigureRequest(checksums, rowHash, checkQueries(checks, false), jobs), step);
        Inventory expected;
        try {
            expected = fromSource.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
        List<String> differences = new ArrayList<>(InventoryComparison.differences(expected, actual));
        differences.addAll(checkDifferences(checks, expected, actual, "the source"));
        return new Result("the live source", expected, actual, differences);
    }

    private static List<String> checkDifferences(List<CustomCheck> checks, Inventory expected, Inventory actual, String side) {
        List<String> differences = new ArrayList<>();
        for (CustomCheck check : checks) {
            if (check.sql() == null) {
                differences.add("check " + check.name() + " has no check." + check.name() + ".sql");
                continue;
            }
            String got = actual.checks().get(check.name());
            String want = check.comparesWithSource() ? expected.checks().get(check.name()) : check.expect();
            if (want == null) {
                differences.add("check " + check.name() + ": " + side + " holds no value for it (added after the dump?);"
                        + " compare with the live source (ferry verify --live) or migrate again");
            } else if (!want.equals(got)) {
                differences.add("check " + check.name() + ": expected " + want + (check.comparesWithSource() ? " (as in " + side + ")" : "")
                        + ", the target returned " + got);
            }
        }
        return differences;
    }

    private static Inventory withoutChecksums(Inventory inventory) {
        java.util.TreeMap<String, Inventory.TableFigures> tables = new java.util.TreeMap<>();
        inventory.tables().forEach((name, figures) -> tables.put(name, new Inventory.TableFigures(figures.rows(), null)));
        return new Inventory(null, tables, inventory.counters(), inventory.objects(), inventory.checks(), inventory.notCompared());
    }
}
