package dev.ferry.engine;

/**
 * Writes to a source database held off for a cutover, for as long as this is open. The hold lives
 * in a database session of its own, so if Ferry dies the server drops it: a freeze can never outlive
 * the run that made it. {@link #close()} lifts it and is safe to call twice.
 */
public interface WriteFreeze extends AutoCloseable {

    /** What is frozen, for the report (for example {@code 12 tables of shop locked against writes}). */
    String describe();

    @Override
    void close();
}
