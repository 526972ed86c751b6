package dev.kompact.aws;

import dev.kompact.agent.net.Eni;
import dev.kompact.executor.cloud.AddressRefusedException;
import dev.kompact.executor.cloud.PodAddresses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AssignPrivateIpAddressesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * A pod's address on the AWS VPC CNI, where it is a secondary private IP of one of its node's network interfaces
 * (ENIs), moved to another node's ENI:
 *
 * <ol>
 *   <li>DescribeNetworkInterfaces of both instances; already on the destination is done (a retry after a crash or
 *       a lost answer).</li>
 *   <li>The ENI holding the address on the instance it leaves; elsewhere, or its primary address, is refused.</li>
 *   <li>The destination's ENIs in the address's subnet (a VPC address never leaves its subnet). A move to the target
 *       takes only ENIs tagged {@value #NO_MANAGE}{@code =true}: the VPC CNI's ipamd adopts a secondary address it
 *       finds on an ENI it manages as a free one of its warm pool, within its reconcile interval (a minute), and then
 *       hands it to the next pod or gives it back to EC2 (docs/live-migration.md, "3. The address"). A move back
 *       takes the ENI the address came from first, where the VPC CNI's rules for the source pod still send its
 *       replies (the source's agent routes nothing: on another ENI they would leave by the wrong one and be dropped);
 *       then those tagged, then the others.</li>
 *   <li>AssignPrivateIpAddresses with AllowReassignment on one of them, which takes the address off the ENI it leaves
 *       in the same call; the answer must name it. An ENI at its instance type's limit
 *       ({@value #LIMIT_EXCEEDED}) passes to the next; when none has a free slot, refused.</li>
 * </ol>
 *
 * The target's agent routes the address by the ENI that holds it, so a move to the target answers with that ENI's MAC
 * address and its subnet's CIDR (DescribeSubnets), checked as the agent checks them before anything is assigned; a
 * move back, which no agent routes, looks up neither.
 *
 * A refusal changed nothing. EC2 remaps the address asynchronously: the destination's instance metadata shows it
 * once the route has moved.
 */
public final class Ec2PodAddresses implements PodAddresses, AutoCloseable {

    static final String NO_MANAGE = "node.k8s.amazonaws.com/no_manage";
    static final String LIMIT_EXCEEDED = "PrivateIpAddressLimitExceeded";
    private static final Logger log = LoggerFactory.getLogger(Ec2PodAddresses.class);

    private final Ec2Client ec2;

    public Ec2PodAddresses(AwsSettings aws) {
        this.ec2 = aws.ec2();
    }

    @Override
    public Moved move(String address, String sourceInstance, String targetInstance) {
        return place(address, sourceInstance, targetInstance, true, Optional.empty())
                .orElseThrow();
    }

    @Override
    public void moveBack(String address, String sourceInstance, String targetInstance, Optional<String> origin) {
        place(address, targetInstance, sourceInstance, false, origin);
    }

    /**
     * @param toTarget a move to the target: onto an unmanaged interface only, which the target's agent routes the
     *     address by (so it is checked as the agent checks it, and answered); a move back needs neither
     * @param home tried first: the interface a move back returns the address to
     * @return where a move to the target put the address; empty for a move back
     */
    private Optional<Moved> place(
            String address, String holder, String destination, boolean toTarget, Optional<String> home) {
        List<NetworkInterface> enis = describe(
                "the network interfaces of " + holder + " and " + destination,
                List.of(filter("attachment.instance-id", holder, destination)));
        Optional<NetworkInterface> there = enis.stream()
                .filter(e -> attachedTo(e, destination) && holds(e, address))
                .findFirst();
        if (there.isPresent()) {
            log.info("{} is already on {} of {}", address, there.get().networkInterfaceId(), destination);
            if (!toTarget) {
                return Optional.empty();
            }
            try {
                return Optional.of(
                        new Moved(routable(there.get(), cidrOf(there.get().subnetId()), address), Optional.empty()));
            } catch (IllegalArgumentException e) {
                // not a refusal: the address did move, and a rollback must find it journaled to move it back
                throw new IllegalStateException(unroutable(there.get(), destination, e), e);
            }
        }
        NetworkInterface from = enis.stream()
                .filter(e -> attachedTo(e, holder) && holds(e, address))
                .findFirst()
                .orElseThrow(() -> refused(
                        address + " is on neither " + holder + " nor " + destination + ": " + whereIs(address, enis)));
        if (address.equals(from.privateIpAddress())) {
            throw refused(address + " is the primary address of " + from.networkInterfaceId() + " of " + holder
                    + " (a host-network pod): it cannot leave its instance");
        }
        List<NetworkInterface> inSubnet = enis.stream()
                .filter(e -> attachedTo(e, destination) && from.subnetId().equals(e.subnetId()))
                .toList();
        if (inSubnet.isEmpty()) {
            throw refused(address + " is in " + from.subnetId() + ", and " + destination
                    + " has no network interface there: a VPC address moves only within its subnet, so the pod"
                    + " moves live only to a node in it");
        }
        List<NetworkInterface> candidates = inSubnet.stream()
                .filter(e -> !toTarget || unmanaged(e))
                .sorted(Comparator.comparing((NetworkInterface e) ->
                                home.filter(e.networkInterfaceId()::equals).isEmpty())
                        .thenComparing(e -> !unmanaged(e))
                        .thenComparing(e -> e.privateIpAddresses().size()))
                .toList();
        if (candidates.isEmpty()) {
            throw refused("none of " + destination + "'s network interfaces in " + from.subnetId() + " is tagged "
                    + NO_MANAGE + "=true; on one the VPC CNI manages, its ipamd would take " + address
                    + " for a free address of its warm pool and give it to the next pod on the node or back to EC2"
                    + " (attach one such interface in that subnet to every node that takes live migrations)");
        }
        Optional<String> cidr = toTarget ? Optional.of(cidrOf(from.subnetId())) : Optional.empty();
        List<String> full = new ArrayList<>();
        for (NetworkInterface eni : candidates) {
            Optional<Eni> routed;
            try {
                routed = cidr.map(c -> routable(eni, c, address));
            } catch (IllegalArgumentException e) {
                throw refused(unroutable(eni, destination, e));
            }
            if (assign(address, eni, destination)) {
                log.info(
                        "moved {} from {} of {} to {} of {}",
                        address,
                        from.networkInterfaceId(),
                        holder,
                        eni.networkInterfaceId(),
                        destination);
                return routed.map(r -> new Moved(r, Optional.of(from.networkInterfaceId())));
            }
            full.add(eni.networkInterfaceId() + " (" + eni.privateIpAddresses().size() + " addresses)");
        }
        throw refused("no free slot for " + address + " on " + destination + ": " + String.join(", ", full)
                + " hold as many addresses as its instance type allows");
    }

    /** False when the ENI is at its limit; throws on any other error, so the executor asks again later. */
    private boolean assign(String address, NetworkInterface eni, String instance) {
        AssignPrivateIpAddressesResponse answer;
        try {
            answer = ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni.networkInterfaceId())
                    .privateIpAddresses(address)
                    .allowReassignment(true));
        } catch (AwsServiceException e) {
            if (LIMIT_EXCEEDED.equals(AwsRequestException.errorCode(e))) {
                return false;
            }
            throw new AwsRequestException(
                    "AssignPrivateIpAddresses of " + address + " to " + eni.networkInterfaceId() + " of " + instance,
                    e);
        }
        if (answer.assignedPrivateIpAddresses().stream().noneMatch(a -> address.equals(a.privateIpAddress()))) {
            throw new IllegalStateException("AssignPrivateIpAddresses of " + address + " to "
                    + eni.networkInterfaceId() + " of " + instance + " answered without it: "
                    + answer.assignedPrivateIpAddresses());
        }
        return true;
    }

    /**
     * The interface as the destination's agent takes it; throws what the agent would refuse: a malformed MAC or CIDR,
     * or a subnet that does not hold the address.
     */
    private static Eni routable(NetworkInterface eni, String cidr, String address) {
        Eni routed = new Eni(eni.macAddress() == null ? "" : eni.macAddress(), cidr);
        if (!routed.contains(address)) {
            throw new IllegalArgumentException(
                    eni.subnetId() + "'s CIDR " + routed.subnetCidr() + " does not hold " + address);
        }
        return routed;
    }

    private static String unroutable(NetworkInterface eni, String instance, IllegalArgumentException why) {
        return "EC2 describes " + eni.networkInterfaceId() + " of " + instance
                + " in a way the node agents cannot route by: " + why.getMessage();
    }

    private String cidrOf(String subnetId) {
        List<Subnet> subnets;
        try {
            subnets = ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets();
        } catch (AwsServiceException e) {
            throw new AwsRequestException("DescribeSubnets of " + subnetId, e);
        }
        return subnets.stream()
                .filter(s -> subnetId.equals(s.subnetId()))
                .findFirst()
                .map(s -> s.cidrBlock() == null ? "" : s.cidrBlock())
                .orElseThrow(
                        () -> new IllegalStateException("DescribeSubnets of " + subnetId + " answered without it"));
    }

    /** For the refusal's message: which interface of the VPC holds the address, if any. */
    private String whereIs(String address, List<NetworkInterface> enis) {
        List<Filter> filters = new ArrayList<>();
        filters.add(filter("addresses.private-ip-address", address));
        enis.stream().findFirst().ifPresent(e -> filters.add(filter("vpc-id", e.vpcId())));
        return describe("the network interface holding " + address, filters).stream()
                .findFirst()
                .map(e -> "it is on " + e.networkInterfaceId() + " of "
                        + (e.attachment() == null
                                ? "no instance"
                                : e.attachment().instanceId()))
                .orElse("no network interface holds it as a secondary address (with the VPC CNI's prefix delegation a"
                        + " pod's address is part of a /28 prefix, which cannot move alone)");
    }

    private List<NetworkInterface> describe(String what, List<Filter> filters) {
        try {
            return ec2.describeNetworkInterfacesPaginator(r -> r.filters(filters)).networkInterfaces().stream()
                    .toList();
        } catch (AwsServiceException e) {
            throw new AwsRequestException("DescribeNetworkInterfaces for " + what, e);
        }
    }

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private static boolean attachedTo(NetworkInterface eni, String instance) {
        return eni.attachment() != null && instance.equals(eni.attachment().instanceId());
    }

    private static boolean holds(NetworkInterface eni, String address) {
        return eni.privateIpAddresses().stream().anyMatch(a -> address.equals(a.privateIpAddress()));
    }

    private static boolean unmanaged(NetworkInterface eni) {
        return eni.tagSet().stream().anyMatch(t -> NO_MANAGE.equals(t.key()) && "true".equals(t.value()));
    }

    private static AddressRefusedException refused(String why) {
        return new AddressRefusedException(why);
    }

    @Override
    public void close() {
        ec2.close();
    }
}
