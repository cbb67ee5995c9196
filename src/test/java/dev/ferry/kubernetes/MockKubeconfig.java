package dev.ferry.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig file pointing at the fabric8 mock API server, as a user's would point at a cluster. */
public final class MockKubeconfig {

    private MockKubeconfig() {
    }

    public static Path write(KubernetesClient mockClient, Path folder) throws IOException {
        Path file = folder.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster:
                      server: "%s"
                      insecure-skip-tls-verify: true
                contexts:
                  - name: mock
                    context: {cluster: mock, user: tester}
                current-context: mock
                users:
                  - name: tester
                    user: {token: test-token}
                """.formatted(mockClient.getMasterUrl()));
        return file;
    }
}
