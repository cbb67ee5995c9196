package dev.ferry.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SettingTest {

    @Test
    void aPatternStandsForEachSideAUserWordOrAnythingBelow() {
        assertThat(Setting.text("<side>.host", null, "").matches("source.host")).isTrue();
        assertThat(Setting.text("<side>.host", null, "").matches("sourcee.host")).isFalse();
        assertThat(Setting.text("check.<name>.sql", null, "").matches("check.order-items.sql")).isTrue();
        assertThat(Setting.text("check.<name>.sql", null, "").matches("check.a.b.sql")).isFalse();
        assertThat(Setting.text("everest.spec.*", null, "").matches("everest.spec.proxy.replicas")).isTrue();
        assertThat(Setting.text("everest.spec.*", null, "").matches("everest.spec")).isFalse();
        assertThat(Setting.text("storage.bucket", null, "").matches("storage.bucket")).isTrue();
    }

    @Test
    void aValueOfTheWrongTypeIsNamedAndAPlaceholderWaitsUntilItIsResolved() {
        assertThat(Setting.integer("smoke.jobs", 2, "").problem("two")).isEqualTo("is not a whole number");
        assertThat(Setting.integer("smoke.jobs", 2, "").problem(" 4 ")).isNull();
        assertThat(Setting.flag("clean", false, "").problem("yes")).isNull();
        assertThat(Setting.flag("clean", false, "").problem("maybe")).isEqualTo("is not true or false");
        assertThat(Setting.choice("smoke.against", "snapshot", "", "snapshot", "live").problem("both"))
                .isEqualTo("is not one of snapshot, live");
        assertThat(Setting.integer("smoke.jobs", 2, "").problem("{{env:JOBS}}")).isNull();
    }

    @Test
    void theNearestNameIsSuggestedOnlyWhenItIsNearAndItsCaseBreaksATie() {
        assertThat(Suggestion.nearest("sourcee.host", List.of("source.host", "target.host"))).contains("source.host");
        assertThat(Suggestion.nearest("source.sslmod", List.of("source.sslMode", "source.sslmode"))).contains("source.sslmode");
        assertThat(Suggestion.nearest("completely.different", List.of("source.host"))).isEmpty();
    }

    @Test
    void aSecretsFileAndEnvironmentVariantsAndARehearsalsOwnValueAreKnown() {
        Specs specs = Specs.loaded();
        assertThat(specs.setting("target.passwordFile")).isPresent();
        assertThat(specs.setting("storage.secretKeyEnv")).isPresent();
        assertThat(specs.setting("rehearsal.target.host")).isPresent();
        assertThat(specs.setting("source.hostFile")).isEmpty();
        assertThat(specs.step("smoke-test").orElseThrow().option("checksums")).isNotNull();
    }

    @Test
    void aStepUriIsTakenApartAsCamelReadsItsOptions() {
        StepUri uri = StepUri.parse("ferry:assert?on=target&sql=RAW(SELECT count(*) FROM t WHERE a = 1 & b)&expect=0");
        assertThat(uri.scheme()).isEqualTo("ferry");
        assertThat(uri.kind()).isEqualTo("assert");
        assertThat(uri.options()).containsExactly(java.util.Map.entry("on", "target"),
                java.util.Map.entry("sql", "RAW(SELECT count(*) FROM t WHERE a = 1 & b)"), java.util.Map.entry("expect", "0"));
        assertThat(StepUri.parse("direct://my-route").kind()).isEqualTo("my-route");
        assertThat(StepUri.parse("ferry:smoke-test?checksums=false").options()).containsEntry("checksums", "false");
    }
}
