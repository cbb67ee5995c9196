package dev.ferry.pgbackrest;

/**
 * A pgBackRest repository set up for the source (variable {@code ferry.repository}): where it lives
 * ({@code s3://<bucket><repoPath>}, stanza {@code db}), the configuration file that reaches it
 * (0600, holds the S3 keys; never journaled itself), the source's system id and the pgBackRest
 * version on the source host.
 */
public record PgBackRestRepository(String uri, String bucket, String repoPath, String stanza, String configFile,
                                   String systemId, String postgresVersion, String pgbackrestVersion) {
}
