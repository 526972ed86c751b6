package dev.kompact.aws;

import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The executor's {@link CloudProvider} on EC2: launches through an instant fleet, terminates only its own. */
public final class Ec2CloudProvider implements CloudProvider, AutoCloseable {

    private final Ec2Client ec2;
    private final FleetLauncher launcher;
    private final InstanceTerminator terminator;

    public Ec2CloudProvider(AwsSettings aws, Ec2ProviderSettings settings) {
        this.ec2 = aws.ec2();
        this.launcher = new FleetLauncher(ec2, settings);
        this.terminator = new InstanceTerminator(ec2, settings);
    }

    /**
     * Tries the request's placements in order until one yields an instance; the answer says which one did and what
     * the earlier ones answered.
     */
    @Override
    public LaunchedInstance launch(LaunchRequest request) {
        return launcher.launch(request);
    }

    @Override
    public void checkTerminable(String instanceId) {
        terminator.check(instanceId);
    }

    @Override
    public void terminate(String instanceId) {
        terminator.terminate(instanceId);
    }

    @Override
    public void close() {
        ec2.close();
    }
}
