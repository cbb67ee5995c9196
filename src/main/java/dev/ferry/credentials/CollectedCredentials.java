package dev.ferry.credentials;

/**
 * What a {@link CredentialSource} found for one side. {@code password} may be null when the server
 * trusts the connection; {@code host}, {@code port} and {@code database} are null unless the
 * source knows them (a Juju unit's address, say), in which case they fill settings left unset.
 */
public record CollectedCredentials(String user, Secret password, String host, Integer port, String database) {

    public static CollectedCredentials of(String user, Secret password) {
        return new CollectedCredentials(user, password, null, null, null);
    }
}
