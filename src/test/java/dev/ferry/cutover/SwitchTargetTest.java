package dev.ferry.cutover;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.kubernetes.MockKubeconfig;
import dev.ferry.runtime.Settings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The switch's targets against the fabric8 mock API server, and the settings it refuses. */
@EnableKubernetesMockClient(crud = true)
class SwitchTargetTest {

    KubernetesClient kubernetes;

    @TempDir
    Path folder;

    private static final DatabaseEndpoint TARGET = new DatabaseEndpoint("postgresql", "::1", 6543, "shop", "postgres", null, Map.of());

    @Test
    void aConfigMapGetsTheTargetsHostPortAndAUrlAndKeepsItsOtherKeys() throws IOException {
        kubernetes.configMaps().inNamespace("apps").resource(new ConfigMapBuilder().withNewMetadata().withName("shop-config")
                .endMetadata().addToData("DB_HOST", "old-db").addToData("LOG_LEVEL", "info").build()).create();
        Settings settings = new Settings(Map.of("switch.kubernetes.name", "shop-config", "switch.kubernetes.kind", "ConfigMap",
                "switch.kubernetes.namespace", "apps", "switch.kubernetes.kubeconfig", MockKubeconfig.write(kubernetes, folder).toString(),
                "switch.kubernetes.hostKey", "DB_HOST", "switch.kubernetes.portKey", "DB_PORT", "switch.kubernetes.databaseKey", "-",
                "switch.kubernetes.urlKey", "DB_URL", "switch.kubernetes.urlTemplate", "jdbc:postgresql://{host}:{port}/{database}"));

        SwitchTarget target = SwitchTarget.of(settings, "switch");
        String what = target.switchTo(TARGET, "run-1", "switch");

        ConfigMap map = kubernetes.configMaps().inNamespace("apps").withName("shop-config").get();
        assertThat(map.getData()).containsEntry("DB_HOST", "::1").containsEntry("DB_PORT", "6543")
                .containsEntry("DB_URL", "jdbc:postgresql://[::1]:6543/shop").containsEntry("LOG_LEVEL", "info")
                .doesNotContainKey("database");
        assertThat(map.getMetadata().getAnnotations()).containsEntry("ferry.dev/switched-by", "run-1");
        assertThat(what).contains("ConfigMap apps/shop-config", "DB_HOST: old-db -> ::1", "DB_PORT: (unset) -> 6543");
        assertThat(target.kind()).isEqualTo("kubernetes");
    }

    @Test
    void aMissingSecretIsNotCreatedButFailsTheSwitch() throws IOException {
        Settings settings = new Settings(Map.of("switch.kubernetes.name", "nowhere",
                "switch.kubernetes.kubeconfig", MockKubeconfig.write(kubernetes, folder).toString()));

        assertThatThrownBy(() -> SwitchTarget.of(settings, "switch").switchTo(TARGET, "run-2", "switch"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SWITCH_FAILED);
                    assertThat(e.getMessage()).contains("Secret default/nowhere does not exist");
                });
        assertThat(kubernetes.secrets().inNamespace("default").withName("nowhere").get()).isNull();
    }

    @Test
    void noSwitchOrTwoAreBadInput() {
        for (Map<String, String> values : java.util.List.of(Map.<String, String>of(),
                Map.of("switch.kubernetes.name", "a", "switch.command", "true"),
                Map.of("switch.kubernetes.name", "a", "switch.kubernetes.kind", "Deployment"),
                Map.of("switch.kubernetes.name", "a", "switch.kubernetes.urlKey", "URL"))) {
            assertThatThrownBy(() -> SwitchTarget.of(new Settings(values), "window-gate")).as(values.toString())
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT));
        }
    }
}
