package dev.kompact.agent.testing;

import dev.kompact.agent.testing.cri.v1.Capability;
import dev.kompact.agent.testing.cri.v1.ContainerConfig;
import dev.kompact.agent.testing.cri.v1.ContainerFilter;
import dev.kompact.agent.testing.cri.v1.ContainerMetadata;
import dev.kompact.agent.testing.cri.v1.ContainerState;
import dev.kompact.agent.testing.cri.v1.ContainerStateValue;
import dev.kompact.agent.testing.cri.v1.ContainerStatusRequest;
import dev.kompact.agent.testing.cri.v1.CreateContainerRequest;
import dev.kompact.agent.testing.cri.v1.ImageSpec;
import dev.kompact.agent.testing.cri.v1.LinuxContainerConfig;
import dev.kompact.agent.testing.cri.v1.LinuxContainerSecurityContext;
import dev.kompact.agent.testing.cri.v1.LinuxPodSandboxConfig;
import dev.kompact.agent.testing.cri.v1.LinuxSandboxSecurityContext;
import dev.kompact.agent.testing.cri.v1.ListContainersRequest;
import dev.kompact.agent.testing.cri.v1.ListPodSandboxRequest;
import dev.kompact.agent.testing.cri.v1.NamespaceMode;
import dev.kompact.agent.testing.cri.v1.NamespaceOption;
import dev.kompact.agent.testing.cri.v1.PodSandbox;
import dev.kompact.agent.testing.cri.v1.PodSandboxConfig;
import dev.kompact.agent.testing.cri.v1.PodSandboxFilter;
import dev.kompact.agent.testing.cri.v1.PodSandboxMetadata;
import dev.kompact.agent.testing.cri.v1.PodSandboxStatusRequest;
import dev.kompact.agent.testing.cri.v1.RemovePodSandboxRequest;
import dev.kompact.agent.testing.cri.v1.RunPodSandboxRequest;
import dev.kompact.agent.testing.cri.v1.StartContainerRequest;
import dev.kompact.agent.testing.cri.v1.StopPodSandboxRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a kubelet does to run a pod on its node, through CRI on the node's containerd, in the kubelet's order: the
 * sandbox (pause container, CNI), then each container in the pod spec's order, created and started before the next
 * one is created. A container of a {@code kompact-restore} pod parks in its creation until the agent restores it, so
 * {@link #run} returns only once every container was restored or failed.
 */
public final class KubeletStandIn {
    /** The kubelet's default for a v1 pod without shareProcessNamespace: a PID namespace per container. */
    private static final NamespaceOption OWN_PIDS =
            NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER).build();

    private final Containerd containerd;
    private final Path logs;

    public KubeletStandIn(Containerd containerd, Path logs) {
        this.containerd = containerd;
        this.logs = logs;
    }

    /** A container of the pod spec: its name, its command (run by busybox's sh), capabilities it adds. */
    public record Container(String name, String command, List<String> addCapabilities) {
        public Container(String name, String command) {
            this(name, command, List.of());
        }
    }

    /** A pod spec, as far as this kubelet reads it. */
    public record Pod(
            String namespace,
            String name,
            String uid,
            String runtimeHandler,
            Map<String, String> annotations,
            List<Container> containers) {}

    /** The pod as this node runs it: its name, sandbox, address and the runtime id of each container by name. */
    public record RunningPod(String name, String sandboxId, String ip, Map<String, String> containerIds) {}

    public RunningPod run(Pod pod) throws Exception {
        Path logDir = Files.createDirectories(logs.resolve(pod.namespace() + "_" + pod.name() + "_" + pod.uid()));
        PodSandboxConfig sandbox = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setNamespace(pod.namespace())
                        .setName(pod.name())
                        .setUid(pod.uid()))
                .setHostname(pod.name())
                .setLogDirectory(logDir.toString())
                .putLabels("io.kubernetes.pod.name", pod.name())
                .putLabels("io.kubernetes.pod.namespace", pod.namespace())
                .putLabels("io.kubernetes.pod.uid", pod.uid())
                .putAllAnnotations(pod.annotations())
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent(containerd.cgroupParent(pod.uid()))
                        .setSecurityContext(
                                LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(OWN_PIDS)))
                .build();
        String sandboxId = containerd
                .runtime()
                .runPodSandbox(RunPodSandboxRequest.newBuilder()
                        .setConfig(sandbox)
                        .setRuntimeHandler(pod.runtimeHandler())
                        .build())
                .getPodSandboxId();
        String ip = containerd
                .runtime()
                .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(sandboxId)
                        .build())
                .getStatus()
                .getNetwork()
                .getIp();
        Map<String, String> ids = new LinkedHashMap<>();
        for (Container container : pod.containers()) {
            String id = containerd
                    .runtime()
                    .createContainer(CreateContainerRequest.newBuilder()
                            .setPodSandboxId(sandboxId)
                            .setSandboxConfig(sandbox)
                            .setConfig(ContainerConfig.newBuilder()
                                    .setMetadata(ContainerMetadata.newBuilder().setName(container.name()))
                                    .setImage(ImageSpec.newBuilder().setImage(BusyboxImage.NAME))
                                    .addCommand("/bin/sh")
                                    .addArgs("-c")
                                    .addArgs(container.command())
                                    .putLabels("io.kubernetes.container.name", container.name())
                                    .setLogPath(container.name() + "/0.log")
                                    .setLinux(LinuxContainerConfig.newBuilder()
                                            .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                                                    .setNamespaceOptions(OWN_PIDS)
                                                    .setCapabilities(Capability.newBuilder()
                                                            .addAllAddCapabilities(container.addCapabilities())))))
                            .build())
                    .getContainerId();
            containerd
                    .runtime()
                    .startContainer(StartContainerRequest.newBuilder()
                            .setContainerId(id)
                            .build());
            ids.put(container.name(), id);
        }
        return new RunningPod(pod.name(), sandboxId, ip, ids);
    }

    public ContainerState state(String containerId) {
        return containerd
                .runtime()
                .containerStatus(ContainerStatusRequest.newBuilder()
                        .setContainerId(containerId)
                        .build())
                .getStatus()
                .getState();
    }

    /** What the kubelet does once the pod is deleted: stop the sandbox (its containers killed), remove it. */
    public void remove(RunningPod pod) {
        containerd
                .runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(pod.sandboxId())
                        .build());
        containerd
                .runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(pod.sandboxId())
                        .build());
    }

    /**
     * What the kubelet does once a pod is deleted, whatever became of its start (a creation that failed leaves the
     * sandbox): every sandbox of the pod stopped and removed.
     */
    public void removeAll(String podUid) {
        for (PodSandbox sandbox : sandboxes(podUid)) {
            remove(new RunningPod(sandbox.getMetadata().getName(), sandbox.getId(), "", Map.of()));
        }
    }

    /** The names of the pod's containers that run on this node. */
    public List<String> runningContainers(String podUid) {
        return sandboxes(podUid).stream()
                .flatMap(sandbox -> containerd
                        .runtime()
                        .listContainers(ListContainersRequest.newBuilder()
                                .setFilter(ContainerFilter.newBuilder()
                                        .setPodSandboxId(sandbox.getId())
                                        .setState(ContainerStateValue.newBuilder()
                                                .setState(ContainerState.CONTAINER_RUNNING)))
                                .build())
                        .getContainersList()
                        .stream())
                .map(c -> c.getMetadata().getName())
                .toList();
    }

    private List<PodSandbox> sandboxes(String podUid) {
        return containerd
                .runtime()
                .listPodSandbox(ListPodSandboxRequest.newBuilder()
                        .setFilter(PodSandboxFilter.newBuilder().putLabelSelector("io.kubernetes.pod.uid", podUid))
                        .build())
                .getItemsList();
    }
}
