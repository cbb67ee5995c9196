package dev.ferry.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A stream of the lines of a plain SQL script that an engine keeps (see {@link Engine#oneDatabaseOf}),
 * read line by line to the script's end (so that a gzip stream under it is read to its checksum) and never
 * held whole. Lines are compared as ISO-8859-1, which
 * maps every byte to one char, so the kept bytes pass unchanged whatever the dump's encoding.
 */
public abstract class SqlScriptCut extends InputStream {

    private final InputStream script;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private byte[] pending = new byte[0];
    private int offset;
    private boolean ended;

    protected SqlScriptCut(InputStream script) {
        this.script = script;
    }

    /** Whether the script held the database's part, read to its end; ask once the stream has ended. */
    public abstract boolean foundWhole();

    /** Whether to keep this line (without its newline); called for every line, in order. */
    protected abstract boolean keep(String line);

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int start, int length) throws IOException {
        while (offset == pending.length) {
            if (ended) {
                return -1;
            }
            nextLine();
        }
        int n = Math.min(length, pending.length - offset);
        System.arraycopy(pending, offset, buffer, start, n);
        offset += n;
        return n;
    }

    private void nextLine() throws IOException {
        line.reset();
        int b;
        while ((b = script.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0) {
            ended = true;
            if (line.size() == 0) {
                pending = new byte[0];
                offset = 0;
                return;
            }
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        if (keep(text)) {
            line.write('\n');
            pending = line.toByteArray();
        } else {
            pending = new byte[0];
        }
        offset = 0;
    }

    @Override
    public void close() throws IOException {
        script.close();
    }
}
