package dev.ferry.engine;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.util.Locale;

/**
 * Whether a dump fits a target. {@code logical}: target major at least the source's, and the dump
 * tool at least the source's (a logical dump restores forward). {@code identical}: equal majors
 * (physical backups). Flavours (PostgreSQL; MySQL vs MariaDB) must match unless explicitly allowed.
 */
public enum VersionPolicy {
    LOGICAL, IDENTICAL;

    public static VersionPolicy fromSetting(String value, String step) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown versionPolicy '" + value + "'", null,
                    "Use logical (target ≥ source) or identical (same major version)");
        }
    }

    /** The dump tool must be able to read the source server: fails before any dump starts. */
    public void checkTool(ServerVersion source, ServerVersion tool, String step) {
        if (tool.major() < source.major()) {
            throw new FerryException(ErrorCode.VERSION_MISMATCH, step,
                    "The dump tool is older than the source server",
                    "source " + source + ", dump tool " + tool.flavour() + " " + tool.full(),
                    "Install a dump tool of major version " + source.major() + " or newer and put it first on PATH");
        }
    }

    /** The target must accept what the source produced. */
    public void checkTarget(ServerVersion source, ServerVersion target, boolean allowCrossFlavour, String step) {
        if (!source.flavour().equals(target.flavour()) && !allowCrossFlavour) {
            throw new FerryException(ErrorCode.VERSION_MISMATCH, step, "Source and target are different database flavours",
                    "source " + source + ", target " + target,
                    "Migrate to a target of the same flavour, or set allowCrossFlavour: true if you accept the risk");
        }
        boolean fits = this == IDENTICAL ? target.major() == source.major() : target.major() >= source.major();
        if (!fits) {
            String rule = this == IDENTICAL ? "policy identical needs the same major version"
                    : "policy logical needs a target at least as new as the source";
            throw new FerryException(ErrorCode.VERSION_MISMATCH, step, "Target version does not fit the source",
                    "source " + source + ", target " + target + "; " + rule,
                    this == IDENTICAL ? "Use a target of major version " + source.major()
                            : "Use a target of major version " + source.major() + " or newer");
        }
    }

    public String describe() {
        return this == IDENTICAL ? "identical (same major version)" : "logical (target ≥ source, dump tool ≥ source)";
    }
}
