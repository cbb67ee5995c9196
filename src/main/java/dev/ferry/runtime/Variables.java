package dev.ferry.runtime;

/** Names of the exchange variables steps read and set: the step contracts' vocabulary. */
public final class Variables {

    public static final String RUN = "ferry.run";
    public static final String SOURCE = "ferry.source";
    public static final String TARGET = "ferry.target";
    public static final String STORE = "ferry.store";
    public static final String SOURCE_VERSION = "ferry.source.version";
    public static final String TARGET_VERSION = "ferry.target.version";
    public static final String TOOL_VERSION = "ferry.tool.version";
    public static final String DUMP = "ferry.dump";
    public static final String ARTIFACT = "ferry.artifact";
    public static final String VERSION_VERDICT = "ferry.versions";
    public static final String IMPORT = "ferry.import";
    public static final String SMOKE = "ferry.smoke";
    public static final String EVEREST = "ferry.everest";

    private Variables() {
    }
}
