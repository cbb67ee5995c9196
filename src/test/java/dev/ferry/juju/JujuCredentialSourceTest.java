package dev.ferry.juju;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.CollectedCredentials;
import dev.ferry.credentials.CredentialSources;
import dev.ferry.runtime.Settings;
import dev.ferry.testing.JujuStandIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Juju credential source against the stand-in juju client (no controller, no database). */
class JujuCredentialSourceTest {

    static final String STEP = "collect-credentials";

    @TempDir
    Path folder;
    JujuStandIn juju;
    Map<String, String> settings;

    @BeforeEach
    void standIn() {
        juju = JujuStandIn.in(folder.resolve("juju"));
        settings = new LinkedHashMap<>(Map.of("source.credentials", "juju", "source.juju.application", "postgresql",
                "source.juju.binary", juju.binary().toString()));
    }

    private CollectedCredentials collect() {
        Settings s = new Settings(settings);
        return CredentialSources.named("juju", "source", STEP).collect("source", s, s, STEP);
    }

    private FerryException failure() {
        try {
            collect();
        } catch (FerryException e) {
            return e;
        }
        throw new AssertionError("collecting succeeded");
    }

    private void assertNoCallHolds(String secret) {
        assertThat(juju.calls()).isNotEmpty().allSatisfy(call -> assertThat(call).doesNotContain(secret));
    }

    @Test
    void juju3ActionGivesThePasswordAndTheLeadersAddressInTheNamedModel() {
        String password = "pg14-Operator-Pw-3x";
        juju.actionPassword("postgresql/0", password).status("postgresql", "10.0.0.5");
        settings.put("source.juju.model", "prod");
        settings.put("source.juju.controller", "lxd");

        CollectedCredentials collected = collect();

        assertThat(collected.user()).isEqualTo("operator");
        assertThat(collected.password().reveal()).isEqualTo(password);
        assertThat(collected.password().origin())
                .isEqualTo("juju:action get-password username=operator on postgresql/0 (model lxd:prod)");
        assertThat(collected.host()).isEqualTo("10.0.0.5");
        assertThat(collected.port()).isNull();
        assertThat(juju.calls()).containsExactly(
                "run postgresql/leader get-password username=operator --format=json -m lxd:prod",
                "status postgresql --format=json -m lxd:prod");
        assertNoCallHolds(password);
        assertThat(collected.password().toString()).doesNotContain(password);
    }

    @Test
    void juju29RunsRunActionAndReadsItsYaml() {
        String password = "pg14-Replication-Pw-29";
        juju.answer("action.yaml", """
                unit-postgresql-0:
                  UnitId: postgresql/0
                  id: "7"
                  results:
                    Code: "0"
                    password: %s
                  status: completed
                  timing:
                    completed: 2024-05-01 10:00:02 +0000 UTC
                    enqueued: 2024-05-01 10:00:00 +0000 UTC
                    started: 2024-05-01 10:00:01 +0000 UTC
                """.formatted(password));
        settings.put("source.juju.juju29", "true");
        settings.put("source.juju.username", "replication");
        settings.put("source.juju.model", "legacy-model");
        settings.put("source.host", "db.internal");

        CollectedCredentials collected = collect();

        assertThat(collected.user()).isEqualTo("replication");
        assertThat(collected.password().reveal()).isEqualTo(password);
        assertThat(collected.password().origin()).startsWith("juju:action get-password username=replication on postgresql/0");
        assertThat(collected.host()).as("the host set wins; juju status is not asked").isNull();
        assertThat(juju.calls()).containsExactly(
                "run-action postgresql/leader get-password username=replication --wait --format=yaml -m legacy-model");
        assertNoCallHolds(password);
    }

    @Test
    void aFailedActionIsACredentialsFailureQuotingTheActionsMessage() {
        juju.answer("action.json", """
                {"postgresql/0": {"id": "43", "status": "failed", "message": "Failed to get password: user fred does not exist",
                  "results": {"return-code": 1, "stdout": "", "stderr": "Traceback ..."}, "log": []}}
                """).fails("action.json", 1, "ERROR the following task failed:\n id \"43\" with return code 1");
        settings.put("source.juju.username", "fred");

        FerryException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
        assertThat(e.step()).isEqualTo(STEP);
        assertThat(e.what()).isEqualTo("juju action get-password failed on postgresql/0");
        assertThat(e.why()).isEqualTo("Failed to get password: user fred does not exist");
        assertThat(e.next()).contains("username is 'fred'", "juju show-task 43");
        assertThat(juju.calls()).hasSize(1);
    }

    @Test
    void aFailedActionNeverShowsAPasswordItCarried() {
        String password = "leaked-By-A-Chatty-Charm";
        juju.answer("action.json", """
                {"postgresql/0": {"id": "44", "status": "failed", "message": "could not apply %1$s to the primary",
                  "results": {"password": "%1$s", "return-code": 2}}}
                """.formatted(password)).fails("action.json", 1, "ERROR task failed; password was " + password);

        FerryException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
        assertThat(e.why()).isEqualTo("could not apply **** to the primary");
        assertThat(e.getMessage()).doesNotContain(password);
        assertThat(e.toString()).doesNotContain(password);
    }

    @Test
    void aNonZeroExitWithoutJsonQuotesJujusErrorLine() {
        juju.answer("action.json", "").fails("action.json", 1, "ERROR model \"prod\" not found");
        settings.put("source.juju.model", "prod");

        FerryException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
        assertThat(e.what()).contains("juju could not run the action get-password on postgresql/leader",
                "run postgresql/leader get-password username=operator --format=json -m prod");
        assertThat(e.why()).isEqualTo("exit code 1: ERROR model \"prod\" not found");
        assertThat(e.next()).contains("juju status postgresql -m prod");
    }

    @Test
    void outputThatIsNotJsonIsNeverQuoted() {
        String password = "half-Written-Json-Pw";
        juju.answer("action.json", "{\"postgresql/0\": {\"status\": \"completed\", \"results\": {\"password\": \"" + password + "\"");

        FerryException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
        assertThat(e.why()).isEqualTo("it printed nothing Ferry could read");
        assertThat(e.getMessage()).doesNotContain(password);
    }

    @Test
    void withoutModelNoModelIsPassedAndAControllerAloneIsRefused() {
        juju.actionPassword("postgresql/1", "pg14-Current-Model").status("postgresql", "10.0.0.9");

        assertThat(collect().host()).isEqualTo("10.0.0.9");
        assertThat(juju.calls()).allSatisfy(call -> assertThat(call).doesNotContain("-m"));

        settings.put("source.juju.controller", "lxd");
        FerryException e = failure();
        assertThat(e.code()).isEqualTo(ErrorCode.MISSING_INPUT);
        assertThat(e.what()).contains("source.juju.model");
    }

    @Test
    void charm16ReadsTheSystemUsersSecret() {
        String password = "pg16-Operator-Secret";
        juju.answer("config-system-users.txt", "secret:cq3vjugm0ga96c0t6g20\n")
                .answer("secret.json", """
                        {"cq3vjugm0ga96c0t6g20": {"revision": 1, "owner": "postgresql",
                          "content": {"Data": {"operator-password": "%s", "replication-password": "pg16-Replication-Secret"}}}}
                        """.formatted(password))
                .status("postgresql", "10.1.2.3");
        settings.put("source.juju.charm", "postgresql-16");
        settings.put("source.juju.model", "pg16");

        CollectedCredentials collected = collect();

        assertThat(collected.user()).isEqualTo("operator");
        assertThat(collected.password().reveal()).isEqualTo(password);
        assertThat(collected.password().origin()).isEqualTo(
                "juju:secret secret:cq3vjugm0ga96c0t6g20 key operator-password (system-users of postgresql, model pg16)");
        assertThat(collected.host()).isEqualTo("10.1.2.3");
        assertThat(juju.calls()).containsExactly(
                "config postgresql system-users -m pg16",
                "show-secret --reveal secret:cq3vjugm0ga96c0t6g20 --format=json -m pg16",
                "status postgresql --format=json -m pg16");
        assertNoCallHolds(password);
    }

    @Test
    void charm16AcceptsKeysDirectlyUnderContentAndNamesOnlyTheKeysWhenTheUserIsMissing() {
        juju.answer("config-system-users.txt", "secret:d0aaa\n")
                .answer("secret.json", """
                        {"secret:d0aaa": {"revision": 3, "content": {"rewind-password": "pg16-Rewind-Secret"}}}
                        """);
        settings.put("source.juju.charm", "postgresql-16");
        settings.put("source.juju.username", "rewind");
        settings.put("source.host", "db.internal");

        assertThat(collect().password().reveal()).isEqualTo("pg16-Rewind-Secret");

        settings.put("source.juju.username", "operator");
        FerryException e = failure();
        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
        assertThat(e.what()).isEqualTo("Secret secret:d0aaa holds no operator-password");
        assertThat(e.why()).isEqualTo("its keys are [rewind-password]");
        assertThat(e.getMessage()).doesNotContain("pg16-Rewind-Secret");
    }

    @Test
    void aSecretThisUserMayNotReadFailsWithJujusError() {
        juju.answer("config-system-users.txt", "secret:d0bbb\n").answer("secret.json", "")
                .fails("secret.json", 1, "ERROR secret \"d0bbb\" not found");
        settings.put("source.juju.charm", "postgresql-16");

        FerryException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
        assertThat(e.what()).startsWith("juju show-secret could not reveal secret:d0bbb");
        assertThat(e.why()).isEqualTo("exit code 1: ERROR secret \"d0bbb\" not found");
    }

    @Test
    void legacyCharmReadsTheClientsRelationDataWithTheDatabaseApplication() {
        String password = "legacy-Relation-Pw";
        juju.status("myapp", "10.0.0.20").answer("show-unit.json", """
                {"myapp/0": {"workload-version": "", "machine": "1", "leader": true,
                  "relation-info": [
                    {"relation-id": 3, "endpoint": "juju-info", "related-endpoint": "juju-info", "application-data": {},
                     "related-units": {"nrpe/0": {"in-scope": true, "data": {"user": "nagios", "password": "not-this-one"}}}},
                    {"relation-id": 7, "endpoint": "db", "related-endpoint": "db", "application-data": {},
                     "related-units": {"postgresql/0": {"in-scope": true, "data": {
                       "allowed-units": "myapp/0", "database": "myapp", "host": "10.0.0.7", "port": "5433",
                       "user": "juju_myapp", "password": "%s", "schema_user": "juju_myapp_schema"}}}}]}}
                """.formatted(password));
        settings.put("source.juju.charm", "legacy");
        settings.put("source.juju.clientApplication", "myapp");
        settings.put("source.juju.model", "old");

        CollectedCredentials collected = collect();

        assertThat(collected.user()).isEqualTo("juju_myapp");
        assertThat(collected.password().reveal()).isEqualTo(password);
        assertThat(collected.password().origin()).isEqualTo("juju:relation data of myapp/0 with postgresql (model old)");
        assertThat(collected.host()).isEqualTo("10.0.0.7");
        assertThat(collected.port()).isEqualTo(5433);
        assertThat(collected.database()).isEqualTo("myapp");
        assertThat(juju.calls()).containsExactly("status myapp --format=json -m old", "show-unit myapp/0 --format=json -m old");
        assertNoCallHolds(password);
    }

    @Test
    void legacyApplicationDataWithEndpointsAndAGivenClientUnitNeedsTheStatusOnlyForNoHost() {
        juju.answer("show-unit.json", """
                {"myapp/2": {"relation-info": [{"endpoint": "database", "related-endpoint": "database",
                  "application-data": {"username": "relation-5", "password": "legacy-App-Data-Pw", "database": "shop"},
                  "related-units": {"postgresql/1": {"in-scope": true, "data": {"egress-subnets": "10.0.0.8/32"}}}}]}}
                """).status("postgresql", "10.0.0.8");
        settings.put("source.juju.charm", "legacy");
        settings.put("source.juju.clientUnit", "myapp/2");

        CollectedCredentials collected = collect();

        assertThat(collected.user()).isEqualTo("relation-5");
        assertThat(collected.database()).isEqualTo("shop");
        assertThat(collected.host()).as("no host in the relation: the database leader's address").isEqualTo("10.0.0.8");
        assertThat(juju.calls()).containsExactly("show-unit myapp/2 --format=json", "status postgresql --format=json");
    }

    @Test
    void legacyWithoutARelationToTheDatabaseSaysSo() {
        juju.answer("show-unit.json", """
                {"myapp/0": {"relation-info": [{"endpoint": "cache", "related-endpoint": "cache",
                  "related-units": {"redis/0": {"data": {"password": "redis-Pw-Not-Ours"}}}}]}}
                """);
        settings.put("source.juju.charm", "legacy");
        settings.put("source.juju.clientUnit", "myapp/0");

        FerryException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
        assertThat(e.why()).isEqualTo("none of its relations is with postgresql");
        assertThat(e.next()).contains("clientApplication");
    }

    @Test
    void theLeaderIsTakenFromStatusAndItsAddressWhenThereIsNoPublicAddress() {
        juju.actionPassword("postgresql/1", "pg14-Leader-Two").answer("status.json", """
                {"applications": {"postgresql": {"units": {
                  "postgresql/0": {"leader": false, "public-address": "10.0.0.1", "address": "10.0.0.1"},
                  "postgresql/1": {"leader": true, "address": "10.152.183.4"}}}}}
                """);

        assertThat(collect().host()).isEqualTo("10.152.183.4");
    }

    @Test
    void anApplicationJujuDoesNotListIsNamed() {
        juju.actionPassword("postgresql/0", "pg14-No-Units").answer("status.json", "{\"applications\": {}}");

        FerryException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
        assertThat(e.what()).isEqualTo("Application postgresql has no units in the current model");
    }

    @Test
    void aMissingJujuClientSaysWhereToPointFerry() {
        settings.put("source.juju.binary", folder.resolve("no-such-juju").toString());

        FerryException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_MISSING);
        assertThat(e.next()).contains("source.juju.binary");
    }

    @Test
    void anUnknownCharmOrMissingApplicationIsBadInput() {
        settings.put("source.juju.charm", "postgresql-15");
        assertThat(failure().code()).isEqualTo(ErrorCode.BAD_INPUT);
        settings.put("source.juju.charm", "postgresql-14");
        settings.remove("source.juju.application");
        assertThat(failure().what()).contains("source.juju.application");
        assertThat(juju.calls()).isEmpty();
    }

    @Test
    void theStandInRefusesCommandsItDoesNotKnow() throws Exception {
        Process process = new ProcessBuilder(juju.binary().toString(), "frobnicate", "--format=json")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isEqualTo(1);
        assertThat(output).contains("ERROR unrecognized command: juju frobnicate");
    }

    @Test
    void theSourceSaysWhatItFindsItselfSoValidationNeedsNoHostOrUser() {
        JujuCredentialSource source = new JujuCredentialSource();
        assertThat(source.provides("source", new Settings(settings))).containsExactlyInAnyOrder("host", "user");
        settings.put("source.juju.charm", "legacy");
        assertThat(source.provides("source", new Settings(settings))).contains("database", "port");
    }
}
