package dev.kompact.agent.testing;

/** An emulated Kubernetes node: its agent on containerd's runc root, its containerd, and its kubelet stand-in. */
public record ContainerdNode(AgentProcess agent, Containerd containerd, KubeletStandIn kubelet) {
    public String name() {
        return agent.node();
    }
}
