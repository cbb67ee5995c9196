package dev.ferry.process;

import dev.ferry.runtime.Settings;
import dev.ferry.spec.Setting;

import java.time.Duration;

/** How long one dump, restore or pgBackRest tool may run: {@code timeoutMinutes}, the same for every step that runs one. */
public final class ToolTimeout {

    public static final Setting MINUTES = Setting.integer("timeoutMinutes", 24 * 60, "how long any dump, restore or pgBackRest tool may run");

    private ToolTimeout() {
    }

    public static Duration of(Settings settings, String step) {
        return Duration.ofMinutes(MINUTES.intValue(settings, step));
    }
}
