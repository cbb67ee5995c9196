package dev.ferry.everest.importer;

import dev.ferry.everest.api.EverestResources;
import dev.ferry.everest.api.EverestDocuments;

import dev.ferry.credentials.Redactor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes the importer's progress into the annotation {@code ferry.dev/progress} of its own
 * DataImportJob, which Everest has no channel for. The DataImporter grants {@code get}, {@code list}
 * and {@code patch} on {@code dataimportjobs} through its {@code permissions}; the client is the pod's
 * service account (or {@code $KUBECONFIG} outside a cluster).
 * <p>
 * Which job is its own: Everest injects no environment, so the importer looks in the target
 * cluster's namespace for the DataImportJob whose {@code spec.targetClusterName} is the request's
 * cluster ({@code data-import-<cluster>}, one per cluster); when several match, the one whose
 * {@code status.jobName} starts the pod's name ({@code $HOSTNAME} is {@code <jobName>-<5 chars>}).
 * {@code $FERRY_DATA_IMPORT_JOB} names it outright. Annotating is best effort: without an API
 * server or permission the importer says so once and goes on.
 * <p>
 * Every wait has a deadline, so a hanging API server never holds the import up: finding the job
 * {@value #FIND_DEADLINE_SECONDS} s in all (connect 3 s, each request 5 s, no retries); one
 * annotation {@value #ANNOTATE_DEADLINE_SECONDS} s. The first annotation that fails or runs past
 * its deadline ends annotating for the rest of the import.
 */
public final class JobProgress implements AutoCloseable {

    private static final Duration EVERY = Duration.ofSeconds(5);
    static final int FIND_DEADLINE_SECONDS = 15;
    static final int ANNOTATE_DEADLINE_SECONDS = 10;

    private final KubernetesClient client;
    private final String namespace;
    private final String jobName;
    private final Consumer<String> log;
    private Instant last = Instant.EPOCH;
    private volatile boolean stopped;

    private JobProgress(KubernetesClient client, String namespace, String jobName, Consumer<String> log) {
        this.client = client;
        this.namespace = namespace;
        this.jobName = jobName;
        this.log = log;
    }

    static JobProgress find(ImportRequest.Target target, Map<String, String> environment, Consumer<String> log) {
        if (target.namespace() == null || target.clusterName() == null) {
            log.accept("progress: the request names no cluster; progress goes to this log only");
            return new JobProgress(null, null, null, log);
        }
        java.util.concurrent.CompletableFuture<JobProgress> found = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> lookUp(target, environment, log), daemonThread("find-data-import-job"));
        try {
            return found.get(FIND_DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // a late answer still closes its client
            found.thenAccept(JobProgress::close);
            log.accept("progress: the Kubernetes API did not answer within " + FIND_DEADLINE_SECONDS
                    + " s while looking for the DataImportJob of cluster " + target.clusterName() + "; progress goes to this log only");
            return new JobProgress(null, null, null, log);
        } catch (java.util.concurrent.ExecutionException e) {
            log.accept("progress: cannot find the DataImportJob (" + Redactor.redact(String.valueOf(e.getCause().getMessage()))
                    + "); progress goes to this log only");
            return new JobProgress(null, null, null, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JobProgress(null, null, null, log);
        }
    }

    private static java.util.concurrent.Executor daemonThread(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        };
    }

    private static JobProgress lookUp(ImportRequest.Target target, Map<String, String> environment, Consumer<String> log) {
        KubernetesClient client = null;
        try {
            // progress is best effort: an unreachable API must not hold the import up with retries
            Config config = Config.autoConfigure(null);
            config.setRequestRetryBackoffLimit(0);
            config.setConnectionTimeout(3000);
            config.setRequestTimeout(5000);
            client = new KubernetesClientBuilder().withConfig(config).build();
            String name = environment.get("FERRY_DATA_IMPORT_JOB");
            if (name == null) {
                name = ownJob(client, target, environment.get("HOSTNAME"));
            }
            if (name == null) {
                log.accept("progress: no DataImportJob for cluster " + target.clusterName() + " in " + target.namespace()
                        + "; progress goes to this log only");
                client.close();
                return new JobProgress(null, null, null, log);
            }
            log.accept("progress: annotating DataImportJob " + target.namespace() + "/" + name + " (" + EverestResources.PROGRESS_ANNOTATION + ")");
            return new JobProgress(client, target.namespace(), name, log);
        } catch (KubernetesClientException | IllegalStateException e) {
            log.accept("progress: cannot reach the Kubernetes API (" + Redactor.redact(e.getMessage()) + "); progress goes to this log only");
            if (client != null) {
                client.close();
            }
            return new JobProgress(null, null, null, log);
        }
    }

    private static String ownJob(KubernetesClient client, ImportRequest.Target target, String hostname) {
        List<GenericKubernetesResource> jobs = client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB)
                .inNamespace(target.namespace()).list().getItems().stream()
                .filter(job -> target.clusterName().equals(EverestDocuments.text(job.getAdditionalProperties(), "spec", "targetClusterName")))
                .toList();
        if (jobs.size() > 1 && hostname != null) {
            for (GenericKubernetesResource job : jobs) {
                String jobName = EverestDocuments.text(job.getAdditionalProperties(), "status", "jobName");
                if (jobName != null && hostname.startsWith(jobName + "-")) {
                    return job.getMetadata().getName();
                }
            }
        }
        return jobs.isEmpty() ? null : jobs.get(0).getMetadata().getName();
    }

    /** Records progress in the log and the annotation: at most every five seconds unless {@code force}. */
    void report(String text, boolean force) {
        if (!force && Duration.between(last, Instant.now()).compareTo(EVERY) < 0) {
            return;
        }
        last = Instant.now();
        log.accept(text);
        if (client == null) {
            return;
        }
        if (stopped) {
            return;
        }
        String value = Redactor.redact(text);
        java.util.concurrent.CompletableFuture<Void> annotated = java.util.concurrent.CompletableFuture.runAsync(() ->
                client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB).inNamespace(namespace).withName(jobName)
                        .edit(job -> {
                            if (job.getMetadata().getAnnotations() == null) {
                                job.getMetadata().setAnnotations(new java.util.HashMap<>());
                            }
                            job.getMetadata().getAnnotations().put(EverestResources.PROGRESS_ANNOTATION, value);
                            return job;
                        }), daemonThread("annotate-data-import-job"));
        try {
            annotated.get(ANNOTATE_DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            stopped = true;
            log.accept("progress: the Kubernetes API did not answer within " + ANNOTATE_DEADLINE_SECONDS + " s while annotating"
                    + " DataImportJob " + jobName + "; annotations stopped, progress goes to this log only");
        } catch (java.util.concurrent.ExecutionException e) {
            stopped = true;
            String why = e.getCause() instanceof KubernetesClientException k ? "HTTP " + k.getCode()
                    : Redactor.redact(String.valueOf(e.getCause().getMessage()));
            log.accept("progress: cannot annotate DataImportJob " + jobName + " (" + why
                    + "); check the DataImporter's permissions (patch on dataimportjobs); annotations stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
