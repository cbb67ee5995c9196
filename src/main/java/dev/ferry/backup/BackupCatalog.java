package dev.ferry.backup;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.Manifest;
import dev.ferry.storage.StoredArtifact;
import dev.ferry.storage.WriterLease;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The backups of a migration's databases under its storage prefix, newest first, as {@code ferry
 * backups list} shows them: every artifact folder, complete (its manifest read) or not.
 */
public final class BackupCatalog {

    public static final String COMPLETE = "complete";
    public static final String INCOMPLETE = "incomplete";
    /** A dump the hosting add-on made ({@link AddonDumps}): no manifest, no checksums, no source figures. */
    public static final String FOREIGN = "foreign";
    public static final String DAMAGED = "damaged";

    /** One backup; {@code engine}, versions and tool are null when no manifest says them. */
    public record Backup(String id, String database, Instant time, long bytes, String state, String engine, String serverVersion,
                         String tool, String toolVersion, String uri, String note) {

        public boolean complete() {
            return COMPLETE.equals(state);
        }
    }

    private BackupCatalog() {
    }

    /** The backups of {@code databases} (each one's folder) and the add-on's dumps when {@code addon} is set, newest first. */
    public static List<Backup> list(ArtifactStore store, List<String> databases, Optional<AddonDumps> addon, String step) {
        List<Backup> backups = new ArrayList<>();
        for (String database : databases.stream().distinct().toList()) {
            Optional<WriterLease.Holder> writer = WriterLease.heldByOther(store.client(), store.settings(), database, "", step);
            for (StoredArtifact artifact : store.list(database)) {
                backups.add(describe(store, artifact, writer, step));
            }
        }
        addon.ifPresent(dumps -> dumps.list(store, step).forEach(dump -> backups.add(describe(store, dumps, dump, step))));
        backups.sort(Comparator.comparing(Backup::time).reversed().thenComparing(Backup::id));
        return backups;
    }

    private static Backup describe(ArtifactStore store, StoredArtifact artifact, Optional<WriterLease.Holder> writer, String step) {
        ArtifactFolder folder = artifact.folder();
        String uri = store.uri(folder);
        if (!artifact.complete()) {
            String note = writer.map(w -> "no manifest yet: " + w.describe() + " writes this database's backups")
                    .orElse("no manifest: the run writing it stopped; not restorable");
            return new Backup(folder.name(), folder.database(), folder.createdAt(), artifact.storedBytes(), INCOMPLETE,
                    null, null, null, null, uri, note);
        }
        try {
            Manifest manifest = store.readManifest(folder, step);
            Object before = manifest.figures().get(SafetyBackup.FIGURE);
            return new Backup(folder.name(), folder.database(), folder.createdAt(), artifact.storedBytes(), COMPLETE,
                    manifest.engine(), manifest.serverVersion(), manifest.toolName(), manifest.toolVersion(), uri,
                    before == null ? null : "safety backup of " + manifest.source().host() + ":" + manifest.source().port() + "/"
                            + manifest.source().database() + " taken before restoring " + before);
        } catch (FerryException unreadable) {
            return new Backup(folder.name(), folder.database(), folder.createdAt(), artifact.storedBytes(), DAMAGED,
                    null, null, null, null, uri, unreadable.why());
        }
    }

    private static Backup describe(ArtifactStore store, AddonDumps dumps, AddonDumps.Dump dump, String step) {
        try {
            AddonDumpHeader header = dumps.header(store, dump, step);
            return new Backup(dump.name(), "-", dump.time(), dump.bytes(), FOREIGN, header.engine(), header.serverVersion(),
                    header.tool(), header.toolVersion(), dump.uri(), header.engine() == null
                            ? "the add-on's dump; its head names no engine or version" : "the add-on's dump");
        } catch (IOException unreadable) {
            return new Backup(dump.name(), "-", dump.time(), dump.bytes(), DAMAGED, null, null, null, null, dump.uri(),
                    "the add-on's dump is not readable gzip: " + unreadable);
        }
    }

    /** The complete backup, or the add-on's readable dump, {@code id} names: a folder name as listed, or its timestamp alone when only one folder has it. */
    public static Backup find(ArtifactStore store, List<String> databases, Optional<AddonDumps> addon, String id,
                              String listCommand, String step) {
        List<Backup> all = list(store, databases, addon, step);
        List<Backup> matching = all.stream().filter(b -> b.id().equals(id)).toList();
        if (matching.isEmpty()) {
            matching = all.stream().filter(b -> b.id().startsWith(id + "-")).toList();
        }
        if (matching.isEmpty()) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "No backup '" + id + "' under " + store.settings().describe(),
                    all.isEmpty() ? "there is no backup of " + String.join(", ", databases) + " yet"
                            : "the newest is " + all.get(0).id(), "Pick an id that '" + listCommand + "' shows");
        }
        if (matching.size() > 1) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "'" + id + "' names " + matching.size() + " backups",
                    "their ids are " + matching.stream().map(Backup::id).toList(), "Give the whole id");
        }
        Backup backup = matching.get(0);
        if (!backup.complete() && !FOREIGN.equals(backup.state())) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Backup " + backup.id() + " cannot be restored",
                    "it is " + backup.state() + ": " + backup.note(), "Pick a complete backup that '" + listCommand + "' shows");
        }
        return backup;
    }
}
