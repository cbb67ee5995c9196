package dev.ferry.engine;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link Engine} that handles an engine name. */
public final class Engines {

    private static final List<Engine> ENGINES = load();

    private Engines() {
    }

    private static List<Engine> load() {
        List<Engine> engines = new ArrayList<>();
        ServiceLoader.load(Engine.class).forEach(engines::add);
        return List.copyOf(engines);
    }

    public static Engine forName(String engineName, String step) {
        return ENGINES.stream().filter(e -> e.handles(engineName)).findFirst()
                .orElseThrow(() -> new FerryException(ErrorCode.BAD_INPUT, step, "Unknown engine '" + engineName + "'",
                        null, "Use one of " + names()));
    }

    public static List<Engine> all() {
        return ENGINES;
    }

    public static List<String> names() {
        return ENGINES.stream().map(Engine::name).toList();
    }
}
