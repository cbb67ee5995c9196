package dev.ferry.schedule;

import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronScheduleTest {

    @Test
    void crontabLinesBecomeQuartzExpressions() {
        assertThat(CronSchedule.toQuartz("30 2 * * *", "schedule")).isEqualTo("0 30 2 * * ?");
        assertThat(CronSchedule.toQuartz("0 1 * * 6", "schedule")).isEqualTo("0 0 1 ? * SAT");
        assertThat(CronSchedule.toQuartz("0 1 * * 0,7", "schedule")).isEqualTo("0 0 1 ? * SUN,SUN");
        assertThat(CronSchedule.toQuartz("*/15 * * * 1-5", "schedule")).isEqualTo("0 */15 * ? * MON-FRI");
        assertThat(CronSchedule.toQuartz("0 3 1 * *", "schedule")).isEqualTo("0 0 3 1 * ?");
        assertThat(CronSchedule.toQuartz("0 1 * * SAT", "schedule")).isEqualTo("0 0 1 ? * SAT");
    }

    @Test
    void quartzExpressionsAndAliasesAreKept() {
        assertThat(CronSchedule.toQuartz("0/3 * * * * ?", "schedule")).isEqualTo("0/3 * * * * ?");
        assertThat(CronSchedule.toQuartz("@daily", "schedule")).isEqualTo("0 0 0 * * ?");
        assertThat(CronSchedule.toQuartz("@weekly", "schedule")).isEqualTo("0 0 0 ? * SUN");
        assertThat(CronSchedule.toQuartz("@hourly", "schedule")).isEqualTo("0 0 * * * ?");
        assertThat(CronSchedule.toQuartz("@monthly", "schedule")).isEqualTo("0 0 0 1 * ?");
    }

    @Test
    void whatIsNoScheduleIsBadInput() {
        for (String text : List.of("every night", "0 1 1 * 6", "61 * * * *", "0 1 * * 9", "@sometimes")) {
            assertThatThrownBy(() -> CronSchedule.toQuartz(text, "schedule")).as(text).isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).code().exitCode()).isEqualTo(2));
        }
    }
}
