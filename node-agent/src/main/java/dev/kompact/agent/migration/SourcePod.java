package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.v1.PodContainer;
import dev.kompact.agent.v1.PodMigrateRequest;
import dev.kompact.agent.v1.PodRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes pod of this node whose containers the controller asked to move, as containerd's CRI created them in
 * its runc root: each named container runs, belongs to the named pod (the CRI's annotations in its OCI spec say so,
 * not the caller), all share the pod sandbox's network namespace, which has an address, and none bind-mounts node
 * content but the files containerd writes for every pod (hosts, hostname, resolv.conf, /dev/shm), which the target's
 * containerd writes again for the target pod. Its {@code address} is the sandbox's own; {@code carried}, the
 * addresses earlier moves added to it.
 */
record SourcePod(List<Member> members, Path namespace, PodNetwork.Address address, List<PodNetwork.Address> carried) {
    static final String SANDBOX_ID = "io.kubernetes.cri.sandbox-id";
    static final String SANDBOX_NAMESPACE = "io.kubernetes.cri.sandbox-namespace";
    static final String SANDBOX_NAME = "io.kubernetes.cri.sandbox-name";
    static final String SANDBOX_UID = "io.kubernetes.cri.sandbox-uid";
    static final String CONTAINER_NAME = "io.kubernetes.cri.container-name";
    static final String CONTAINER_TYPE = "io.kubernetes.cri.container-type";
    /** Where containerd's CRI keeps the files it bind-mounts into every container of a sandbox. */
    static final String SANDBOX_FILES = "io.containerd.grpc.v1.cri/sandboxes/";

    /** One container of the pod: its name in the pod spec, its runtime id, its cgroup. */
    record Member(String name, String containerId, String cgroupsPath) {}

    /** @throws StatusRuntimeException why not, with nothing touched: the pod is then evicted instead */
    static SourcePod inspect(
            ContainerRuntime runtime, SandboxNetwork network, PodMigrateRequest request, String nodeName) {
        PodRef pod = request.getSourcePod();
        String podName = pod.getNamespace() + "/" + pod.getName();
        if (request.getContainersCount() == 0) {
            throw refuse("no containers named for pod " + podName);
        }
        List<Member> members = new ArrayList<>();
        String sandbox = null;
        Path namespace = null;
        for (PodContainer container : request.getContainersList()) {
            String id = container.getContainerId();
            ContainerRuntime.ContainerInfo info = runtime.find(id)
                    .orElseThrow(() -> Status.NOT_FOUND
                            .withDescription("container " + id + " (" + container.getName() + " of pod " + podName
                                    + ") does not exist in containerd's runc root on node " + nodeName)
                            .asRuntimeException());
            if (!info.running()) {
                throw refuse("container " + container.getName() + " of pod " + podName + " is " + info.status()
                        + " on node " + nodeName + ", not running");
            }
            BundleConfig config = BundleConfig.read(info.bundle());
            Map<String, String> cri = config.annotations();
            expect(cri, CONTAINER_TYPE, "container", id);
            expect(cri, CONTAINER_NAME, container.getName(), id);
            expect(cri, SANDBOX_NAMESPACE, pod.getNamespace(), id);
            expect(cri, SANDBOX_NAME, pod.getName(), id);
            if (!pod.getUid().isEmpty()) {
                expect(cri, SANDBOX_UID, pod.getUid(), id);
            }
            Path netns = config.networkNamespace()
                    .orElseThrow(() -> refuse("container " + id + " has no pod network namespace"));
            if (sandbox != null && (!sandbox.equals(cri.get(SANDBOX_ID)) || !namespace.equals(netns))) {
                throw refuse("containers of pod " + podName + " are not all in one sandbox: " + id + " is in "
                        + cri.get(SANDBOX_ID) + ", the first in " + sandbox);
            }
            sandbox = cri.get(SANDBOX_ID);
            namespace = netns;
            List<String> nodeContent = config.hostBindMounts().stream()
                    .filter(m -> !m.contains(SANDBOX_FILES + cri.get(SANDBOX_ID) + "/"))
                    .toList();
            if (!nodeContent.isEmpty()) {
                throw refuse("container " + container.getName() + " of pod " + podName + " bind-mounts "
                        + String.join(", ", nodeContent) + ": that content stays on node " + nodeName
                        + "; move the pod by eviction instead");
            }
            if (!config.cgroupsPath().startsWith("/")) {
                throw refuse("container " + id + " has cgroupsPath '" + config.cgroupsPath() + "': only the"
                        + " cgroupfs driver's absolute paths are supported (not systemd's slice:prefix:name)");
            }
            members.add(new Member(container.getName(), id, config.cgroupsPath()));
        }
        // a pod that moved before holds its old address beside its own: its older connections use it, so it moves too
        List<PodNetwork.Address> addresses = network.addressesOf(namespace);
        List<PodNetwork.Address> carried = addresses.subList(1, addresses.size());
        if (!carried.isEmpty() && request.hasTargetEni()) {
            throw refuse("pod " + podName + " holds addresses an earlier move brought to it ("
                    + String.join(
                            ", ", carried.stream().map(PodNetwork.Address::ip).toList())
                    + ") beside its own: with the VPC CNI only its own address moves through EC2, and its older"
                    + " connections would break; move it by eviction instead");
        }
        return new SourcePod(members, namespace, addresses.get(0), List.copyOf(carried));
    }

    List<String> cgroupsPaths() {
        return members.stream().map(Member::cgroupsPath).toList();
    }

    List<String> names() {
        return members.stream().map(Member::name).toList();
    }

    private static void expect(Map<String, String> annotations, String key, String want, String containerId) {
        String found = annotations.getOrDefault(key, "");
        if (!found.equals(want)) {
            throw refuse("container " + containerId + " is not what the request says: its " + key + " is '" + found
                    + "', not '" + want + "'");
        }
    }

    private static StatusRuntimeException refuse(String why) {
        return Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException();
    }
}
