package dev.ferry.credentials;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileCredentialSourceTest {

    @TempDir
    Path folder;

    private CollectedCredentials collect(String fileName, String content, Map<String, String> more) throws IOException {
        Path file = folder.resolve(fileName);
        Files.writeString(file, content);
        Map<String, String> settings = new HashMap<>(Map.of("source.credentials", "file", "source.credentialsFile", file.toString()));
        settings.putAll(more);
        Settings resolved = new Settings(settings);
        return new FileCredentialSource().collect("source", resolved, resolved, "collect-credentials");
    }

    @Test
    void aPgpassLineIsChosenByHostPortDatabaseAndUserWithWildcardsAndEscapes() throws IOException {
        String pgpass = """
                # comment
                other-host:5432:shop:postgres:wrong-one
                db.internal:5433:*:postgres:also-wrong
                db.internal:5432:*:app:app-p\\:ss
                db.internal:*:shop:postgres:right\\\\one
                """;
        CollectedCredentials postgres = collect(".pgpass", pgpass,
                Map.of("source.host", "db.internal", "source.port", "5432", "source.database", "shop", "source.user", "postgres"));
        assertThat(postgres.user()).isEqualTo("postgres");
        assertThat(postgres.password().reveal()).isEqualTo("right\\one");
        assertThat(postgres.password().origin()).endsWith(".pgpass line 5");

        CollectedCredentials app = collect("pgpass", pgpass,
                Map.of("source.host", "db.internal", "source.database", "shop", "source.user", "app"));
        assertThat(app.password().reveal()).isEqualTo("app-p:ss");
    }

    @Test
    void noMatchingPgpassLineSaysWhatWasLookedFor() {
        assertThatThrownBy(() -> collect("pgpass", "h:1:d:u:p\n", Map.of("source.host", "db", "source.database", "shop", "source.user", "postgres")))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
                    assertThat(e.getMessage()).contains("db:5432:shop:postgres");
                });
    }

    @Test
    void aMySqlOptionFileGivesUserPasswordAndHost() throws IOException {
        CollectedCredentials credentials = collect("my.cnf", """
                [mysqldump]
                password=not-this-one
                [client]
                user = root
                password = "s3cret with spaces"
                host=10.1.2.3
                port=3307
                """, Map.of());
        assertThat(credentials.user()).isEqualTo("root");
        assertThat(credentials.password().reveal()).isEqualTo("s3cret with spaces");
        assertThat(credentials.host()).isEqualTo("10.1.2.3");
        assertThat(credentials.port()).isEqualTo(3307);
    }

    @Test
    void jsonAndYamlFilesAreReadAtTheKeyPathsGiven() throws IOException {
        CollectedCredentials json = collect("creds.json", "{\"db\": {\"admin\": {\"name\": \"admin\", \"pw\": \"json-pw\"}}, \"host\": \"h\"}",
                Map.of("source.credentialsKeys.user", "db.admin.name", "source.credentialsKeys.password", "db.admin.pw"));
        assertThat(json.user()).isEqualTo("admin");
        assertThat(json.password().reveal()).isEqualTo("json-pw");
        assertThat(json.host()).isEqualTo("h");

        CollectedCredentials yaml = collect("creds.yaml", "user: app\npassword: yaml-pw\nport: 6432\n", Map.of());
        assertThat(yaml.user()).isEqualTo("app");
        assertThat(yaml.password().reveal()).isEqualTo("yaml-pw");
        assertThat(yaml.port()).isEqualTo(6432);
    }

    @Test
    void aBrokenFileIsReportedWithoutQuotingItsContent() {
        assertThatThrownBy(() -> collect("creds.json", "{\"password\": \"hunter2-broken-json", Map.of()))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT);
                    assertThat(e.getMessage()).contains("not valid json").doesNotContain("hunter2");
                });
    }
}
