package dev.kompact.executor.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a client the way kubectl would: an explicit kubeconfig, else $KUBECONFIG / ~/.kube/config / in-cluster. */
public final class ClusterConnection {

    private ClusterConnection() {}

    /**
     * @param kubeconfig null for the default lookup
     * @param context null for the kubeconfig's current context
     */
    public static KubernetesClient open(Path kubeconfig, String context) throws IOException {
        Config config;
        if (kubeconfig == null) {
            config = Config.autoConfigure(context);
        } else {
            if (!Files.isRegularFile(kubeconfig)) {
                throw new NoSuchFileException(kubeconfig.toString(), null, "no such kubeconfig file");
            }
            config = Config.fromKubeconfig(context, kubeconfig.toFile());
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
