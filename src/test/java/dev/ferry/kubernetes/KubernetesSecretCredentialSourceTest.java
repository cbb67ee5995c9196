package dev.ferry.kubernetes;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.CollectedCredentials;
import dev.ferry.runtime.Settings;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secrets served by the fabric8 mock API server in CRUD mode, read through a kubeconfig file. */
@EnableKubernetesMockClient(crud = true)
class KubernetesSecretCredentialSourceTest {

    KubernetesClient client;

    @TempDir
    Path folder;

    Path kubeconfig;

    @BeforeEach
    void writeKubeconfig() throws IOException {
        kubeconfig = MockKubeconfig.write(client, folder);
    }

    private CollectedCredentials collect(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("target.credentials", "kubernetes-secret",
                "target.secret.kubeconfig", kubeconfig.toString()));
        settings.putAll(more);
        Settings resolved = new Settings(settings);
        return new KubernetesSecretCredentialSource().collect("target", resolved, resolved, "collect-credentials");
    }

    @Test
    void everestsPostgresSecretIsFoundByPresetAndCluster() {
        client.secrets().inNamespace("everest").resource(new SecretBuilder().withNewMetadata().withName("everest-secrets-shop").endMetadata()
                .addToStringData("password", "pg-admin-pw").addToStringData("user", "ignored").build()).create();

        CollectedCredentials credentials = collect(Map.of("target.secret.preset", "everest-postgresql",
                "target.secret.cluster", "shop", "target.secret.namespace", "everest"));

        assertThat(credentials.user()).isEqualTo("postgres");
        assertThat(credentials.password().reveal()).isEqualTo("pg-admin-pw");
        assertThat(credentials.password().origin()).isEqualTo("kubernetes-secret:everest/everest-secrets-shop#password");
    }

    @Test
    void everestsPxcAndPsmdbPresetsUseTheirKeys() {
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("everest-secrets-orders").endMetadata()
                .addToStringData("root", "pxc-root-pw").addToStringData("MONGODB_DATABASE_ADMIN_USER", "mongo-admin")
                .addToStringData("MONGODB_DATABASE_ADMIN_PASSWORD", "mongo-pw").build()).create();

        CollectedCredentials pxc = collect(Map.of("target.secret.preset", "everest-pxc", "target.secret.cluster", "orders"));
        assertThat(pxc.user()).isEqualTo("root");
        assertThat(pxc.password().reveal()).isEqualTo("pxc-root-pw");

        CollectedCredentials psmdb = collect(Map.of("target.secret.preset", "everest-psmdb", "target.secret.cluster", "orders"));
        assertThat(psmdb.user()).isEqualTo("mongo-admin");
        assertThat(psmdb.password().reveal()).isEqualTo("mongo-pw");
    }

    @Test
    void anyKeysCanBeMappedIncludingHostAndPort() {
        client.secrets().inNamespace("db").resource(new SecretBuilder().withNewMetadata().withName("shop-superuser").endMetadata()
                .addToStringData("username", "su").addToStringData("pw", "x-pw").addToStringData("host", "shop-rw.db")
                .addToStringData("port", "5433").build()).create();

        CollectedCredentials credentials = collect(Map.of("target.secret.name", "shop-superuser", "target.secret.namespace", "db",
                "target.secret.userKey", "username", "target.secret.passwordKey", "pw", "target.secret.hostKey", "host",
                "target.secret.portKey", "port"));

        assertThat(credentials.user()).isEqualTo("su");
        assertThat(credentials.host()).isEqualTo("shop-rw.db");
        assertThat(credentials.port()).isEqualTo(5433);
    }

    @Test
    void aMissingSecretOrKeyIsAClearErrorThatShowsNoValue() {
        assertThatThrownBy(() -> collect(Map.of("target.secret.name", "nope", "target.secret.namespace", "everest")))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
                    assertThat(e.getMessage()).contains("Secret everest/nope does not exist");
                });

        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("half").endMetadata()
                .addToStringData("user", "u").addToStringData("token", "tok-value-123").build()).create();
        assertThatThrownBy(() -> collect(Map.of("target.secret.name", "half", "target.secret.userKey", "user")))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.getMessage()).contains("has no key 'password'", "[token, user]").doesNotContain("tok-value-123");
                });
    }
}
