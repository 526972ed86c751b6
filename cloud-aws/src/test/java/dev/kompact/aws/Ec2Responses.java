package dev.kompact.aws;

/** EC2 answers as the API reference documents them, trimmed to the fields Kompact reads. */
final class Ec2Responses {

    private Ec2Responses() {}

    static String fleet(String fleetId, String instances, String errors) {
        return "<CreateFleetResponse xmlns=\"" + LocalAws.NS + "\"><requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"
                + "</requestId><fleetId>" + fleetId + "</fleetId><errorSet>" + errors + "</errorSet><fleetInstanceSet>"
                + instances + "</fleetInstanceSet></CreateFleetResponse>";
    }

    static String fleetInstance(String instanceId, String instanceType, String subnet, String lifecycle) {
        return "<item>" + overrides(instanceType, subnet) + "<lifecycle>" + lifecycle
                + "</lifecycle><instanceIds><item>"
                + instanceId + "</item></instanceIds><instanceType>" + instanceType + "</instanceType><platform>linux"
                + "</platform></item>";
    }

    static String fleetError(String code, String instanceType, String subnet, String lifecycle) {
        return "<item>" + overrides(instanceType, subnet) + "<lifecycle>" + lifecycle + "</lifecycle><errorCode>" + code
                + "</errorCode><errorMessage>There is no Spot capacity available that matches your request.</errorMessage>"
                + "</item>";
    }

    private static String overrides(String instanceType, String subnet) {
        return "<launchTemplateAndOverrides><launchTemplateSpecification><launchTemplateId>lt-0abc</launchTemplateId>"
                + "<version>3</version></launchTemplateSpecification><overrides><instanceType>" + instanceType
                + "</instanceType><subnetId>" + subnet + "</subnetId></overrides></launchTemplateAndOverrides>";
    }

    static String instance(String instanceId, String state, int code, String clusterTag) {
        String tags = clusterTag == null
                ? ""
                : "<item><key>" + KompactTags.CLUSTER + "</key><value>" + clusterTag + "</value></item>";
        return "<DescribeInstancesResponse xmlns=\"" + LocalAws.NS + "\"><requestId>8f7724cf-496f-496e-8fe3-example"
                + "</requestId><reservationSet><item><reservationId>r-1234567890abcdef0</reservationId><ownerId>123456789012"
                + "</ownerId><instancesSet><item><instanceId>" + instanceId + "</instanceId><instanceType>m5.large"
                + "</instanceType><instanceState><code>" + code + "</code><name>" + state + "</name></instanceState>"
                + "<placement><availabilityZone>us-east-1a</availabilityZone></placement><tagSet>" + tags
                + "<item><key>Name</key><value>node</value></item></tagSet></item></instancesSet></item></reservationSet>"
                + "</DescribeInstancesResponse>";
    }

    static String terminated(String instanceId) {
        return "<TerminateInstancesResponse xmlns=\"" + LocalAws.NS + "\"><requestId>59dbff89-35bd-4eac-99ed-example"
                + "</requestId><instancesSet><item><instanceId>" + instanceId
                + "</instanceId><currentState><code>32</code>"
                + "<name>shutting-down</name></currentState><previousState><code>16</code><name>running</name>"
                + "</previousState></item></instancesSet></TerminateInstancesResponse>";
    }

    static String types(String items, String nextToken) {
        return "<DescribeInstanceTypesResponse xmlns=\"" + LocalAws.NS + "\"><requestId>a1b2c3d4-example</requestId>"
                + "<instanceTypeSet>" + items + "</instanceTypeSet>"
                + (nextToken == null ? "" : "<nextToken>" + nextToken + "</nextToken>")
                + "</DescribeInstanceTypesResponse>";
    }

    static String type(String name, String arch, int vcpu, long memoryMib, int enis, int ipsPerEni) {
        return "<item><instanceType>" + name + "</instanceType><currentGeneration>true</currentGeneration>"
                + "<processorInfo><supportedArchitectures><item>" + arch
                + "</item></supportedArchitectures></processorInfo>"
                + "<vCpuInfo><defaultVCpus>" + vcpu + "</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>" + memoryMib
                + "</sizeInMiB></memoryInfo><networkInfo><maximumNetworkInterfaces>" + enis
                + "</maximumNetworkInterfaces>"
                + "<ipv4AddressesPerInterface>" + ipsPerEni + "</ipv4AddressesPerInterface></networkInfo></item>";
    }

    static String spotPrices(String items) {
        return spotPrices(items, null);
    }

    static String spotPrices(String items, String nextToken) {
        return "<DescribeSpotPriceHistoryResponse xmlns=\"" + LocalAws.NS + "\"><requestId>59dbff89-example</requestId>"
                + "<spotPriceHistorySet>" + items + "</spotPriceHistorySet>"
                + (nextToken == null ? "" : "<nextToken>" + nextToken + "</nextToken>")
                + "</DescribeSpotPriceHistoryResponse>";
    }

    static String spot(String type, String zone, String price, String timestamp) {
        return "<item><instanceType>" + type + "</instanceType><productDescription>Linux/UNIX</productDescription>"
                + "<spotPrice>" + price + "</spotPrice><timestamp>" + timestamp + "</timestamp><availabilityZone>"
                + zone
                + "</availabilityZone></item>";
    }
}
