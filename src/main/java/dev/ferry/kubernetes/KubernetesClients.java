package dev.ferry.kubernetes;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kubernetes clients the way kubectl finds its cluster: an explicit kubeconfig file and context, else
 * {@code $KUBECONFIG} or {@code ~/.kube/config}, else the in-cluster service account. Every request
 * has a deadline: 10 s to connect, 30 s to answer, three retries with backoff.
 */
public final class KubernetesClients {

    /** How long a connection may take to open, and one API request to answer (watches excepted). */
    public static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    public static final int REQUEST_TIMEOUT_MILLIS = 30_000;

    private KubernetesClients() {
    }

    public static KubernetesClient create(String kubeconfig, String context, String step) {
        Config config;
        if (kubeconfig != null) {
            Path file = Path.of(kubeconfig);
            try {
                config = Config.fromKubeconfig(context, Files.readString(file), file.toString());
            } catch (IOException e) {
                throw new FerryException(ErrorCode.BAD_INPUT, step, "Cannot read the kubeconfig " + file, e.getMessage(),
                        "Check the path, or leave it unset to use $KUBECONFIG, ~/.kube/config or the in-cluster account");
            }
        } else {
            config = Config.autoConfigure(context);
        }
        config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
        config.setRequestRetryBackoffLimit(3);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
