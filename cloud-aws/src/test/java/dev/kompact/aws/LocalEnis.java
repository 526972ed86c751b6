package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * EC2's network interfaces as state behind {@link LocalAws}: DescribeNetworkInterfaces answers with the interfaces
 * that match its filters ({@code attachment.instance-id}, {@code addresses.private-ip-address}, {@code vpc-id}), and
 * AssignPrivateIpAddresses assigns as EC2 does: within the interface's subnet and its instance type's limit
 * ({@code PrivateIpAddressLimitExceeded}), taking the address off the interface that holds it only with
 * AllowReassignment; DescribeSubnets answers each subnet's CIDR. One VPC, {@value #VPC}; a subnet is named by its
 * addresses' prefix ({@code 10.0.1.} is {@code subnet-1001}, {@code 10.0.1.0/24}); an interface's MAC address ends in
 * its id's last two characters ({@code eni-b1} is {@code 02:00:00:00:00:b1}).
 */
final class LocalEnis implements ResponseDefinitionTransformerV2 {

    static final String VPC = "vpc-0a1";

    private record Eni(
            String id,
            String instance,
            String subnet,
            String prefix,
            String mac,
            boolean unmanaged,
            int limit,
            List<String> addresses) {}

    private final Map<String, Eni> enis = new LinkedHashMap<>();
    private final Map<String, String> cidrs = new LinkedHashMap<>();
    private int answersToLose;

    /** Stubs the two actions on {@code aws} with this state. */
    void serve(LocalAws aws) {
        for (String action : List.of("DescribeNetworkInterfaces", "AssignPrivateIpAddresses", "DescribeSubnets")) {
            aws.server.stubFor(LocalAws.action(action).willReturn(aResponse().withTransformers(getName())));
        }
    }

    /**
     * An interface attached to {@code instance} in the subnet whose addresses start with {@code prefix}; its first
     * address is its primary.
     */
    synchronized LocalEnis eni(
            String id, String instance, String prefix, boolean unmanaged, int limit, String... addresses) {
        enis.put(
                id,
                new Eni(
                        id,
                        instance,
                        subnet(prefix),
                        prefix,
                        "02:00:00:00:00:" + id.substring(id.length() - 2),
                        unmanaged,
                        limit,
                        new ArrayList<>(List.of(addresses))));
        return this;
    }

    /** EC2 answers {@code mac} for the interface's MAC address instead. */
    synchronized LocalEnis mac(String id, String mac) {
        Eni eni = enis.get(id);
        enis.put(
                id,
                new Eni(
                        id,
                        eni.instance(),
                        eni.subnet(),
                        eni.prefix(),
                        mac,
                        eni.unmanaged(),
                        eni.limit(),
                        eni.addresses()));
        return this;
    }

    /** DescribeSubnets answers {@code cidr} for the subnet of addresses starting with {@code prefix} instead. */
    synchronized LocalEnis cidr(String prefix, String cidr) {
        cidrs.put(subnet(prefix), cidr);
        return this;
    }

    private static String subnet(String prefix) {
        return "subnet-" + prefix.replace(".", "");
    }

    /** The interface holding {@code address}, if any. */
    synchronized Optional<String> holder(String address) {
        return enis.values().stream()
                .filter(e -> e.addresses().contains(address))
                .map(Eni::id)
                .findFirst();
    }

    /** The next {@code count} assignments are made, but their answers are lost: EC2 answers 500 instead. */
    synchronized void loseAnswers(int count) {
        answersToLose = count;
    }

    @Override
    public String getName() {
        return "local-enis";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Map<String, String> form = LocalAws.form(event.getRequest().getBodyAsString());
        return switch (form.get("Action")) {
            case "DescribeNetworkInterfaces" -> describe(form);
            case "AssignPrivateIpAddresses" -> assign(form);
            case "DescribeSubnets" -> subnets(form);
            default -> error(400, "InvalidAction", "not served here: " + form.get("Action"));
        };
    }

    private ResponseDefinition describe(Map<String, String> form) {
        Map<String, Set<String>> filters = new LinkedHashMap<>();
        for (int n = 1; form.containsKey("Filter." + n + ".Name"); n++) {
            Set<String> values = new TreeSet<>();
            for (int v = 1; form.containsKey("Filter." + n + ".Value." + v); v++) {
                values.add(form.get("Filter." + n + ".Value." + v));
            }
            filters.put(form.get("Filter." + n + ".Name"), values);
        }
        StringBuilder items = new StringBuilder();
        for (Eni eni : enis.values()) {
            if (matches(eni, filters)) {
                items.append(item(eni));
            }
        }
        return LocalAws.xml(
                        200,
                        "<DescribeNetworkInterfacesResponse xmlns=\"" + LocalAws.NS + "\"><requestId>fc45294c-example"
                                + "</requestId><networkInterfaceSet>" + items
                                + "</networkInterfaceSet></DescribeNetworkInterfacesResponse>")
                .build();
    }

    private static boolean matches(Eni eni, Map<String, Set<String>> filters) {
        for (Map.Entry<String, Set<String>> filter : filters.entrySet()) {
            boolean match = switch (filter.getKey()) {
                case "attachment.instance-id" -> filter.getValue().contains(eni.instance());
                case "addresses.private-ip-address" -> eni.addresses().stream().anyMatch(filter.getValue()::contains);
                case "vpc-id" -> filter.getValue().contains(VPC);
                default -> throw new IllegalArgumentException("filter not served here: " + filter.getKey());
            };
            if (!match) {
                return false;
            }
        }
        return true;
    }

    private static String item(Eni eni) {
        StringBuilder addresses = new StringBuilder();
        for (String address : eni.addresses()) {
            addresses
                    .append("<item><privateIpAddress>")
                    .append(address)
                    .append("</privateIpAddress><primary>")
                    .append(address.equals(eni.addresses().get(0)))
                    .append("</primary></item>");
        }
        String tags = "<item><key>node.k8s.amazonaws.com/instance_id</key><value>" + eni.instance() + "</value></item>"
                + (eni.unmanaged()
                        ? "<item><key>" + Ec2PodAddresses.NO_MANAGE + "</key><value>true</value></item>"
                        : "");
        return "<item><networkInterfaceId>" + eni.id() + "</networkInterfaceId><subnetId>" + eni.subnet()
                + "</subnetId><vpcId>" + VPC + "</vpcId><availabilityZone>us-east-1a</availabilityZone><status>in-use"
                + "</status><macAddress>" + eni.mac() + "</macAddress><attachment><attachmentId>eni-attach-"
                + eni.id().substring(4) + "</attachmentId>"
                + "<instanceId>" + eni.instance() + "</instanceId><deviceIndex>0</deviceIndex><status>attached</status>"
                + "</attachment><privateIpAddress>" + eni.addresses().get(0) + "</privateIpAddress>"
                + "<privateIpAddressesSet>" + addresses + "</privateIpAddressesSet><tagSet>" + tags
                + "</tagSet></item>";
    }

    private ResponseDefinition subnets(Map<String, String> form) {
        StringBuilder items = new StringBuilder();
        for (int n = 1; form.containsKey("SubnetId." + n); n++) {
            String id = form.get("SubnetId." + n);
            Optional<Eni> in =
                    enis.values().stream().filter(e -> e.subnet().equals(id)).findFirst();
            if (in.isEmpty()) {
                return error(400, "InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
            }
            items.append("<item><subnetId>")
                    .append(id)
                    .append("</subnetId><vpcId>" + VPC + "</vpcId><cidrBlock>")
                    .append(cidrs.getOrDefault(id, in.get().prefix() + "0/24"))
                    .append("</cidrBlock><availabilityZone>us-east-1a</availabilityZone></item>");
        }
        return LocalAws.xml(
                        200,
                        "<DescribeSubnetsResponse xmlns=\"" + LocalAws.NS + "\"><requestId>a5ef8f5e-example</requestId>"
                                + "<subnetSet>" + items + "</subnetSet></DescribeSubnetsResponse>")
                .build();
    }

    private ResponseDefinition assign(Map<String, String> form) {
        Eni eni = enis.get(form.get("NetworkInterfaceId"));
        String address = form.get("PrivateIpAddress.1");
        if (eni == null) {
            return error(
                    400,
                    "InvalidNetworkInterfaceID.NotFound",
                    "The networkInterface ID '" + form.get("NetworkInterfaceId") + "' does not exist");
        }
        if (!address.startsWith(eni.prefix())) {
            return error(
                    400,
                    "InvalidParameterValue",
                    "Address " + address + " does not fall within the subnet's" + " address range");
        }
        Optional<Eni> holder = enis.values().stream()
                .filter(e -> e.addresses().contains(address))
                .findFirst();
        if (holder.isPresent() && holder.get() != eni && !"true".equals(form.get("AllowReassignment"))) {
            return error(400, "InvalidParameterValue", "Address " + address + " is in use.");
        }
        if (holder.map(h -> h.addresses().get(0).equals(address)).orElse(false)) {
            return error(400, "InvalidParameterValue", "Address " + address + " is a primary address.");
        }
        if (holder.orElse(null) != eni) {
            if (eni.addresses().size() >= eni.limit()) {
                return error(400, Ec2PodAddresses.LIMIT_EXCEEDED, "Number of private addresses will exceed limit.");
            }
            holder.ifPresent(h -> h.addresses().remove(address));
            eni.addresses().add(address);
        }
        if (answersToLose > 0) {
            answersToLose--;
            return error(500, "InternalError", "An internal error has occurred");
        }
        return LocalAws.xml(
                        200,
                        "<AssignPrivateIpAddressesResponse xmlns=\"" + LocalAws.NS + "\"><requestId>3fb591ba-example"
                                + "</requestId><networkInterfaceId>" + eni.id() + "</networkInterfaceId>"
                                + "<assignedPrivateIpAddressesSet><item><privateIpAddress>" + address
                                + "</privateIpAddress></item></assignedPrivateIpAddressesSet><return>true</return>"
                                + "</AssignPrivateIpAddressesResponse>")
                .build();
    }

    private static ResponseDefinition error(int status, String code, String message) {
        return LocalAws.xml(status, LocalAws.error(code, message, "req-" + code))
                .build();
    }
}
