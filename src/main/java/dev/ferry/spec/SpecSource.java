package dev.ferry.spec;

import java.util.List;

/**
 * Declares step kinds and settings to Ferry (a {@link java.util.ServiceLoader} service): the
 * {@code ferry:} component's steps, an engine's connection settings, a credential source's.
 */
public interface SpecSource {

    default List<StepSpec> steps() {
        return List.of();
    }

    default List<Setting> settings() {
        return List.of();
    }
}
