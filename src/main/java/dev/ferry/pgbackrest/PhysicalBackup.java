package dev.ferry.pgbackrest;

/**
 * A physical backup as its repository describes it (variable {@code ferry.backup}): its label and
 * type, where it lives ({@code backupPath} = {@code <repoPath>/backup/db/<label>}, the path Everest's
 * PostgreSQL importer takes), the cluster's system id, the PostgreSQL major version it restores to,
 * the pgBackRest version that made it, its size and its times (Unix seconds).
 */
public record PhysicalBackup(String label, String type, String bucket, String repoPath, String stanza, String backupPath,
                             String uri, String systemId, String postgresVersion, String pgbackrestVersion, long size,
                             long repositorySize, long startedAt, long stoppedAt) {
}
