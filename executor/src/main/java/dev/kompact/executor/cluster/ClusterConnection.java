package dev.kompact.executor.cluster;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a client the way kubectl would: an explicit kubeconfig, else $KUBECONFIG / ~/.kube/config / in-cluster. */
public final class ClusterConnection {

    private ClusterConnection() {}

    /**
     * Opens a client and lists one node, so that a wrong server or a missing kubeconfig fails here
     * as one {@link ClusterUnreachableException} naming what was tried, not later as informer stack traces.
     *
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
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build();
        try {
            // listing one node needs only what every Kompact role has (and a mock API server answers it)
            client.nodes().list(new ListOptionsBuilder().withLimit(1L).build());
            return client;
        } catch (KubernetesClientException e) {
            client.close();
            throw new ClusterUnreachableException(tried(config), e);
        }
    }

    /** The server and kubeconfig a client was for, to name them when reading fails. */
    public static String tried(Config config) {
        String server = config.getMasterUrl();
        if (config.getFile() != null) {
            String context = config.getCurrentContext() == null
                    ? ""
                    : ", context " + config.getCurrentContext().getName();
            return "the API server " + server + " (kubeconfig " + config.getFile() + context + ")";
        }
        return "the API server " + server + " (no kubeconfig found: $KUBECONFIG is unset and ~/.kube/config is"
                + " missing, so the in-cluster address was tried)";
    }
}
