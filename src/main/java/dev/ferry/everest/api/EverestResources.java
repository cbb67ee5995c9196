package dev.ferry.everest.api;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Everest's custom resources ({@code everest.percona.com/v1alpha1}) as the fabric8 client addresses them. */
public final class EverestResources {

    public static final String GROUP = "everest.percona.com";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    public static final ResourceDefinitionContext DATA_IMPORTER = context("DataImporter", "dataimporters", false);
    public static final ResourceDefinitionContext DATA_IMPORT_JOB = context("DataImportJob", "dataimportjobs", true);
    public static final ResourceDefinitionContext DATABASE_CLUSTER = context("DatabaseCluster", "databaseclusters", true);
    public static final ResourceDefinitionContext DATABASE_ENGINE = context("DatabaseEngine", "databaseengines", true);

    /** The annotation Ferry's importer writes its progress into, on its own DataImportJob. */
    public static final String PROGRESS_ANNOTATION = "ferry.dev/progress";

    private EverestResources() {
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    /** Everest's name for a cluster's user Secret, and the payload Secret of an import job. */
    public static String userSecretName(String cluster) {
        return "everest-secrets-" + cluster;
    }

    public static String dataImportJobName(String cluster) {
        return "data-import-" + cluster;
    }
}
