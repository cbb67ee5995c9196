package dev.ferry.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * What the comments at the head of an add-on's gzip'd SQL dump say: the engine, the server's version
 * and the dump tool's. pg_dumpall writes them in each database's part ({@code -- Dumped from database
 * version 15.5}, {@code -- Dumped by pg_dump version 15.5}), after the roles; mariadb-dump and
 * mysqldump in their first lines ({@code -- MariaDB dump 10.19  Distrib 10.11.6-MariaDB},
 * {@code -- Server version 10.11.6-MariaDB-0+deb12u1}; the tool's version is its Distrib). Only the first {@link #SCANNED_CHARS} of the
 * text are read; a field not found there is null.
 */
record AddonDumpHeader(String engine, String serverVersion, String tool, String toolVersion) {

    static final int SCANNED_CHARS = 4 << 20;

    private static final Pattern PG_SERVER = Pattern.compile("^-- Dumped from database version (\\S+)");
    private static final Pattern PG_TOOL = Pattern.compile("^-- Dumped by pg_dump version (\\S+)");
    private static final Pattern MY_TOOL = Pattern.compile("^-- (MariaDB|MySQL) dump (\\S+)(?:\\s+Distrib ([^,\\s]+))?");
    private static final Pattern MY_SERVER = Pattern.compile("^-- Server version\\s+(\\S+)");

    /** Reads the gzip'd dump's head; a stream that is not gzip, or ends early, fails with the IOException. */
    static AddonDumpHeader read(InputStream gzipped) throws IOException {
        BufferedReader text = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzipped, 1 << 16), StandardCharsets.UTF_8));
        String engine = null;
        String server = null;
        String tool = null;
        String toolVersion = null;
        long read = 0;
        for (String line = text.readLine(); line != null && read < SCANNED_CHARS; line = text.readLine()) {
            read += line.length() + 1;
            if (!line.startsWith("--")) {
                continue;
            }
            Matcher m;
            if ((m = PG_SERVER.matcher(line)).find()) {
                engine = "postgresql";
                server = m.group(1);
            } else if ((m = PG_TOOL.matcher(line)).find()) {
                tool = "pg_dump";
                toolVersion = m.group(1);
            } else if ((m = MY_TOOL.matcher(line)).find()) {
                engine = m.group(1).equals("MariaDB") ? "mariadb" : "mysql";
                tool = m.group(1).equals("MariaDB") ? "mariadb-dump" : "mysqldump";
                toolVersion = m.group(3) != null ? m.group(3) : m.group(2);
            } else if ((m = MY_SERVER.matcher(line)).find()) {
                server = m.group(1);
            }
            if (engine != null && server != null && tool != null) {
                break;
            }
        }
        return new AddonDumpHeader(engine, server, tool, toolVersion);
    }
}
