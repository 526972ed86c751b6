package dev.kompact.aws;

import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Gives an instance back, in two calls so that the executor's last look at the node comes between them: {@link #check}
 * refuses an instance not tagged for this cluster unless the settings allow it, so a wrong id in a plan cannot take
 * down someone else's machine; {@link #terminate} is TerminateInstances alone. An instance that is gone or going is
 * success for both (the executor repeats steps after a crash).
 */
final class InstanceTerminator {

    private static final Logger log = LoggerFactory.getLogger(InstanceTerminator.class);
    private static final String NOT_FOUND = "InvalidInstanceID.NotFound";
    private static final Set<InstanceStateName> GONE =
            Set.of(InstanceStateName.SHUTTING_DOWN, InstanceStateName.TERMINATED);

    private final Ec2Client ec2;
    private final Ec2ProviderSettings settings;

    InstanceTerminator(Ec2Client ec2, Ec2ProviderSettings settings) {
        this.ec2 = ec2;
        this.settings = settings;
    }

    void check(String instanceId) {
        Optional<Instance> instance = describe(instanceId);
        if (instance.isEmpty() || GONE.contains(instance.get().state().name())) {
            log.info(
                    "{} is already {}; nothing to refuse",
                    instanceId,
                    instance.map(i -> i.state().nameAsString()).orElse("gone"));
            return;
        }
        Optional<String> cluster = clusterTag(instance.get());
        if (!settings.terminateUntagged() && !cluster.equals(Optional.of(settings.clusterName()))) {
            throw new ForeignInstanceException("refusing to terminate " + instanceId + ": its tag "
                    + KompactTags.CLUSTER
                    + " is " + cluster.map(c -> "\"" + c + "\"").orElse("absent") + ", not \"" + settings.clusterName()
                    + "\", so Kompact did not launch it for this cluster. Tag it, or set terminateUntagged to let Kompact"
                    + " give back instances it did not launch");
        }
    }

    void terminate(String instanceId) {
        try {
            ec2.terminateInstances(r -> r.instanceIds(instanceId));
            log.info("terminated {}", instanceId);
        } catch (AwsServiceException e) {
            if (!NOT_FOUND.equals(AwsRequestException.errorCode(e))) {
                throw new AwsRequestException("TerminateInstances for " + instanceId, e);
            }
            log.info("{} disappeared before TerminateInstances; nothing to terminate", instanceId);
        }
    }

    private Optional<Instance> describe(String instanceId) {
        try {
            return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                    .flatMap(reservation -> reservation.instances().stream())
                    .filter(i -> instanceId.equals(i.instanceId()))
                    .findFirst();
        } catch (AwsServiceException e) {
            if (NOT_FOUND.equals(AwsRequestException.errorCode(e))) {
                return Optional.empty();
            }
            throw new AwsRequestException("DescribeInstances for " + instanceId, e);
        }
    }

    private static Optional<String> clusterTag(Instance instance) {
        return instance.tags().stream()
                .filter(t -> KompactTags.CLUSTER.equals(t.key()))
                .map(Tag::value)
                .findFirst();
    }
}
