package dev.kompact.sim.replay;

import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import dev.kompact.executor.cloud.Offering;
import dev.kompact.optimizer.model.InstanceOffering;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated cloud as the executor's port: any offering the simulator sells is filled, the first acceptable
 * placement wins, and a repeated token returns the instance its first launch started, as EC2's ClientToken does.
 */
final class SimCloud implements CloudProvider {

    private final Simulator simulator;
    private final Map<String, LaunchedInstance> byToken = new HashMap<>();

    SimCloud(Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public LaunchedInstance launch(LaunchRequest request) {
        LaunchedInstance earlier = byToken.get(request.token());
        if (earlier != null) {
            return earlier;
        }
        List<String> passedOver = new ArrayList<>();
        for (Offering placement : request.offerings()) {
            Optional<InstanceOffering> offering = simulator.offerings().stream()
                    .filter(o -> o.instanceType().equals(placement.instanceType())
                            && o.zone().equals(placement.zone())
                            && o.capacityType() == request.capacityType())
                    .findFirst();
            if (offering.isEmpty()) {
                passedOver.add(placement + ": not sold in this simulation");
                continue;
            }
            SimNode node = simulator.launch(offering.get());
            LaunchedInstance launched = new LaunchedInstance(node.instanceId(), placement, passedOver);
            byToken.put(request.token(), launched);
            return launched;
        }
        throw new IllegalStateException("no acceptable placement is sold in this simulation: " + passedOver);
    }

    /** The simulator's instances are all the cluster's own. */
    @Override
    public void checkTerminable(String instanceId) {}

    @Override
    public void terminate(String instanceId) {
        simulator.nodes().stream()
                .filter(n -> n.instanceId().equals(instanceId))
                .findFirst()
                .ifPresent(n -> simulator.terminate(n.name()));
    }
}
