package dev.kompact.aws;

import dev.kompact.optimizer.catalog.InstanceType;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.GpuDeviceInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/** The instance types this region offers, from {@code DescribeInstanceTypes}, without prices. */
final class InstanceTypeDescriptions {

    // m7i.large, c6gn.xlarge, u-6tb1.metal: category letters, generation digit, options; then the size
    private static final Pattern NAME = Pattern.compile("^(([a-z-]+?)(\\d+)[a-z0-9-]*)\\.[a-z0-9-]+$");

    private final Ec2Client ec2;

    InstanceTypeDescriptions(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    List<InstanceType> all() {
        try {
            return ec2.describeInstanceTypesPaginator(r -> r.maxResults(100)).instanceTypes().stream()
                    .filter(info -> NAME.matcher(info.instanceTypeAsString()).matches() && arch(info) != null)
                    .map(InstanceTypeDescriptions::toInstanceType)
                    .toList();
        } catch (AwsServiceException e) {
            throw new AwsRequestException("DescribeInstanceTypes", e);
        }
    }

    private static InstanceType toInstanceType(InstanceTypeInfo info) {
        Matcher name = NAME.matcher(info.instanceTypeAsString());
        name.matches();
        int vcpu = info.vCpuInfo().defaultVCpus();
        long memoryMib = info.memoryInfo().sizeInMiB();
        long maxPods = EksAllocatable.maxPods(
                info.networkInfo().maximumNetworkInterfaces(),
                info.networkInfo().ipv4AddressesPerInterface());
        List<GpuDeviceInfo> gpus =
                info.gpuInfo() == null ? List.of() : info.gpuInfo().gpus();
        int gpuCount = gpus.stream().mapToInt(GpuDeviceInfo::count).sum();
        int nvidiaGpus = gpus.stream()
                .filter(g -> "NVIDIA".equalsIgnoreCase(g.manufacturer()))
                .mapToInt(GpuDeviceInfo::count)
                .sum();
        return new InstanceType(
                info.instanceTypeAsString(),
                name.group(1),
                name.group(2),
                name.group(3),
                arch(info),
                vcpu,
                memoryMib,
                gpuCount,
                EksAllocatable.of(vcpu, memoryMib, maxPods, nvidiaGpus),
                OptionalLong.empty(),
                OptionalLong.empty(),
                "");
    }

    /** Kubernetes names architectures as Go does; null for those no EKS node runs on (i386-only, Mac). */
    private static String arch(InstanceTypeInfo info) {
        List<String> archs = info.processorInfo().supportedArchitecturesAsStrings();
        return archs.contains("arm64") ? "arm64" : archs.contains("x86_64") ? "amd64" : null;
    }
}
