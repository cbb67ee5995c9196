package dev.ferry.backup;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.Manifest;
import dev.ferry.storage.StoredArtifact;
import dev.ferry.storage.WriterLease;

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

    /** One backup; {@code engine}, versions and tool are null when no manifest says them. */
    public record Backup(String id, String database, Instant time, long bytes, String state, String engine, String serverVersion,
                         String tool, String toolVersion, String uri, String note) {

        public boolean complete() {
            return COMPLETE.equals(state);
        }
    }

    private BackupCatalog() {
    }

    /** The backups of {@code databases} (each one's folder), newest first. */
    public static List<Backup> list(ArtifactStore store, List<String> databases, String step) {
        List<Backup> backups = new ArrayList<>();
        for (String database : databases.stream().distinct().toList()) {
            Optional<WriterLease.Holder> writer = WriterLease.heldByOther(store.client(), store.settings(), database, "", step);
            for (StoredArtifact artifact : store.list(database)) {
                backups.add(describe(store, artifact, writer, step));
            }
        }
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
            return new Backup(folder.name(), folder.database(), folder.createdAt(), artifact.storedBytes(), "damaged",
                    null, null, null, null, uri, unreadable.why());
        }
    }

    /** The complete backup {@code id} names: a folder name as listed, or its timestamp alone when only one folder has it. */
    public static Backup find(ArtifactStore store, List<String> databases, String id, String listCommand, String step) {
        List<Backup> all = list(store, databases, step);
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
        if (!backup.complete()) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Backup " + backup.id() + " cannot be restored",
                    "it is " + backup.state() + ": " + backup.note(), "Pick a complete backup that '" + listCommand + "' shows");
        }
        return backup;
    }
}
