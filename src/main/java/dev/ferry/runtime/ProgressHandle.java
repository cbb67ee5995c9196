package dev.ferry.runtime;

/** A progress display for bytes moving through a step. */
public interface ProgressHandle extends AutoCloseable {

    void add(long bytes);

    @Override
    void close();

    ProgressHandle NONE = new ProgressHandle() {
        @Override
        public void add(long bytes) {
        }

        @Override
        public void close() {
        }
    };
}
