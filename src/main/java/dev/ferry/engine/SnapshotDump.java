package dev.ferry.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A dump and the source's figures bound to one snapshot: the parts' commands dump exactly what
 * {@link #figures} describes. Held open while the parts stream; closing it ends the snapshot.
 */
public interface SnapshotDump extends AutoCloseable {

    /** The objects of the dump, in restore order; their commands read the snapshot. */
    List<DumpPart> parts();

    /**
     * Told of every chunk a part's command wrote (MySQL holds its lock until the dump shows its
     * snapshot began), and when the command's output ended.
     */
    void streamed(DumpPart part, byte[] bytes, int length);

    void ended(DumpPart part);

    /** The figures read in the snapshot, waiting for them at most {@code deadline}. */
    Inventory figures(Duration deadline);

    /** What to tell about how the snapshot was taken (for example how long a lock was held). */
    Map<String, Object> facts();

    @Override
    void close();
}
