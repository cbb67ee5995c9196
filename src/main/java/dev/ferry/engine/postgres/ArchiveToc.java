package dev.ferry.engine.postgres;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of contents at the head of a pg_dump custom-format archive: every entry's dump id, type,
 * section, schema, name and dependencies, and where the head ends. Read from the first bytes of a
 * stream, before its data arrives, so the restore can plan which indexes and constraints to build as
 * soon as their tables are loaded. Knows the archive versions 1.14 to 1.16 (pg_dump 12 to 17).
 */
final class ArchiveToc {

    static final int SECTION_NONE = 1;
    static final int SECTION_PRE_DATA = 2;
    static final int SECTION_DATA = 3;
    static final int SECTION_POST_DATA = 4;

    private static final int CUSTOM_FORMAT = 1;
    private static final int VERSION_1_14 = version(1, 14);
    private static final int VERSION_1_15 = version(1, 15);
    private static final int VERSION_1_16 = version(1, 16);

    /** One entry; {@code section} as pg_restore applies it (an entry without one goes with the entry before it). */
    record Entry(int dumpId, String desc, int section, String namespace, String tag, List<Integer> dependencies) {

        boolean isTableData() {
            return "TABLE DATA".equals(desc);
        }
    }

    private final List<Entry> entries;
    private final int headLength;

    private ArchiveToc(List<Entry> entries, int headLength) {
        this.entries = entries;
        this.headLength = headLength;
    }

    List<Entry> entries() {
        return entries;
    }

    /** How many bytes from the start of the archive hold its header and table of contents. */
    int headLength() {
        return headLength;
    }

    /** Thrown for bytes that are not a custom-format archive of a known version. */
    static final class UnreadableToc extends Exception {
        UnreadableToc(String message) {
            super(message);
        }
    }

    /** The table of contents, or null when {@code length} bytes do not hold all of it yet. */
    static ArchiveToc read(byte[] bytes, int length) throws UnreadableToc {
        Reader reader = new Reader(bytes, length);
        try {
            return reader.toc();
        } catch (IndexOutOfBoundsException incomplete) {
            return null;
        }
    }

    private static int version(int major, int minor) {
        return (major * 256 + minor) * 256;
    }

    private static final class Reader {
        private final byte[] bytes;
        private final int length;
        private int position;
        private int intSize;
        private int offsetSize;

        Reader(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        ArchiveToc toc() throws UnreadableToc {
            if (!"PGDMP".equals(new String(take(5), StandardCharsets.US_ASCII))) {
                throw new UnreadableToc("no PGDMP magic: not a pg_dump custom-format archive");
            }
            int major = readByte();
            int minor = readByte();
            int revision = readByte();
            int version = (major * 256 + minor) * 256 + revision;
            if (version < VERSION_1_14 || version >= version(1, 17)) {
                throw new UnreadableToc("archive version " + major + "." + minor + "." + revision
                        + " is not one this reader knows (1.14 to 1.16)");
            }
            intSize = readByte();
            offsetSize = readByte();
            if (intSize < 1 || intSize > 8 || offsetSize < 1 || offsetSize > 8) {
                throw new UnreadableToc("implausible integer sizes " + intSize + "/" + offsetSize);
            }
            if (readByte() != CUSTOM_FORMAT) {
                throw new UnreadableToc("not the custom format");
            }
            if (version >= VERSION_1_15) {
                readByte();
            } else {
                readInt();
            }
            for (int field = 0; field < 7; field++) {
                readInt();
            }
            readString();
            readString();
            readString();
            int count = readInt();
            List<Entry> entries = new ArrayList<>(Math.max(0, Math.min(count, 100_000)));
            int section = SECTION_PRE_DATA;
            for (int i = 0; i < count; i++) {
                int dumpId = readInt();
                readInt();
                readString();
                readString();
                String tag = readString();
                String desc = readString();
                int ownSection = readInt();
                readString();
                readString();
                readString();
                String namespace = readString();
                readString();
                readString();
                if (version >= VERSION_1_16) {
                    readInt();
                }
                readString();
                readString();
                List<Integer> dependencies = new ArrayList<>();
                for (String dependency = readString(); dependency != null; dependency = readString()) {
                    dependencies.add(Integer.parseInt(dependency.trim()));
                }
                skip(1 + offsetSize);
                if (ownSection != SECTION_NONE) {
                    section = ownSection;
                }
                entries.add(new Entry(dumpId, desc, section, namespace, tag, List.copyOf(dependencies)));
            }
            return new ArchiveToc(List.copyOf(entries), position);
        }

        private int readByte() {
            if (position >= length) {
                throw new IndexOutOfBoundsException(position);
            }
            return bytes[position++] & 0xff;
        }

        private byte[] take(int n) {
            if (position + n > length) {
                throw new IndexOutOfBoundsException(position + n);
            }
            byte[] out = java.util.Arrays.copyOfRange(bytes, position, position + n);
            position += n;
            return out;
        }

        private void skip(int n) {
            take(n);
        }

        private int readInt() throws UnreadableToc {
            boolean negative = readByte() != 0;
            long value = 0;
            for (int b = 0; b < intSize; b++) {
                value |= ((long) readByte()) << (8 * b);
            }
            if (value > Integer.MAX_VALUE) {
                throw new UnreadableToc("integer out of range at byte " + position);
            }
            return negative ? -(int) value : (int) value;
        }

        private String readString() throws UnreadableToc {
            int n = readInt();
            if (n < 0) {
                return null;
            }
            return new String(take(n), StandardCharsets.UTF_8);
        }
    }
}
