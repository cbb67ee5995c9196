package dev.ferry.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** Every step kind and setting the spec sources on the class path declare. */
public final class Specs {

    /** A rehearsal's own value of a setting: {@code rehearsal.target.host}. */
    public static final String REHEARSAL_PREFIX = "rehearsal.";
    private static final List<String> SECRET_VARIANTS = List.of("File", "Env");
    private static final Specs LOADED = load();

    private final Map<String, StepSpec> steps;
    private final List<Setting> settings;

    private Specs(Map<String, StepSpec> steps, List<Setting> settings) {
        this.steps = steps;
        this.settings = settings;
    }

    public static Specs loaded() {
        return LOADED;
    }

    private static Specs load() {
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        List<Setting> settings = new ArrayList<>();
        for (SpecSource source : ServiceLoader.load(SpecSource.class)) {
            source.steps().forEach(spec -> {
                if (steps.putIfAbsent(spec.kind(), spec) != null) {
                    throw new IllegalStateException("Two specs for step kind " + spec.kind());
                }
                settings.addAll(spec.settings());
            });
            settings.addAll(source.settings());
        }
        return new Specs(Map.copyOf(steps), List.copyOf(settings));
    }

    public Optional<StepSpec> step(String kind) {
        return Optional.ofNullable(steps.get(kind));
    }

    public Map<String, StepSpec> steps() {
        return steps;
    }

    public List<Setting> settings() {
        return settings;
    }

    /**
     * The declared setting a name is, or one of whose patterns it matches; a secret's
     * {@code <key>File} and {@code <key>Env} variants are the secret's.
     */
    public Optional<Setting> setting(String name) {
        Optional<Setting> direct = settings.stream().filter(s -> !s.isPattern() && s.key().equals(name)).findFirst()
                .or(() -> settings.stream().filter(s -> s.matches(name)).findFirst());
        if (direct.isPresent()) {
            return direct;
        }
        if (name.startsWith(REHEARSAL_PREFIX)) {
            return setting(name.substring(REHEARSAL_PREFIX.length()));
        }
        for (String variant : SECRET_VARIANTS) {
            if (name.endsWith(variant) && name.length() > variant.length()) {
                Optional<Setting> secret = setting(name.substring(0, name.length() - variant.length()));
                if (secret.isPresent() && secret.get().type() == Setting.Type.SECRET) {
                    return Optional.of(Setting.text(name, null, secret.get().description()));
                }
            }
        }
        return Optional.empty();
    }

    /** The names a mistyped one may have meant: every declared name, each side's, and the stems of patterns. */
    public java.util.Set<String> knownNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Setting setting : settings) {
            String key = setting.key();
            for (String side : Setting.SIDES) {
                String named = key.replace("<side>", side);
                names.add(named.endsWith(".*") ? named.substring(0, named.length() - 1) : named);
                if (setting.type() == Setting.Type.SECRET) {
                    SECRET_VARIANTS.forEach(v -> names.add(named + v));
                }
            }
        }
        return names;
    }
}
