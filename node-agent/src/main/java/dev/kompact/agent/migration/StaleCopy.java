package dev.kompact.agent.migration;

import dev.kompact.agent.runtime.ContainerRuntime;

/**
 * Kills a source's copy of a container that must never run again (its target ran it), so that deleting it cannot let
 * it run first. The copy is frozen, paused by this agent or held by CRIU, and runc's forced delete of a paused
 * container kills only its init and then thaws the cgroup: the other processes would run, stale, until the init's exit
 * kills them. A SIGKILL to each process while it is frozen ends it where it stands, whatever CRIU or runc do next.
 */
final class StaleCopy {
    private StaleCopy() {}

    static void kill(ContainerRuntime runtime, String containerId) {
        if (runtime.find(containerId).isPresent()) {
            for (long pid : runtime.processes(containerId)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
