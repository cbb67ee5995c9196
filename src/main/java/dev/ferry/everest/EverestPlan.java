package dev.ferry.everest;

import java.util.Map;

/**
 * What the Everest checks decided (variable {@code ferry.everest}): the cluster to create, the
 * importer, the engine type and the version chosen for it, and the {@code config} to send (null:
 * the importer has no schema, so none is sent).
 */
public record EverestPlan(String transport, String namespace, String cluster, String importer, String engineType,
                          String engineVersion, Map<String, Object> config) {
}
