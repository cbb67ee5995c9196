package dev.ferry.credentials;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link CredentialSource} a side's {@code <side>.credentials} setting names. */
public final class CredentialSources {

    public static final String DEFAULT = "settings";

    /** Every credential source's settings. */
    public static java.util.List<dev.ferry.spec.Setting> settings() {
        return SOURCES.stream().flatMap(source -> source.settings().stream()).toList();
    }

    public static java.util.List<String> names() {
        return SOURCES.stream().map(CredentialSource::name).toList();
    }
    private static final List<CredentialSource> SOURCES = load();

    private CredentialSources() {
    }

    private static List<CredentialSource> load() {
        List<CredentialSource> sources = new ArrayList<>();
        ServiceLoader.load(CredentialSource.class).forEach(sources::add);
        return List.copyOf(sources);
    }

    public static CredentialSource named(String name, String side, String step) {
        return SOURCES.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new FerryException(ErrorCode.BAD_INPUT, step, "Unknown credential source '" + name + "'",
                        side + ".credentials names it", "Use one of " + SOURCES.stream().map(CredentialSource::name).toList()));
    }
}
