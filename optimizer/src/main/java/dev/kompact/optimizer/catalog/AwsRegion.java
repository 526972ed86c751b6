package dev.kompact.optimizer.catalog;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The AWS region a node runs in: its region label, else the region its zone (or Local Zone) belongs to. */
public final class AwsRegion {

    public static final String LABEL = "topology.kubernetes.io/region";

    /** us-east-1a, us-gov-west-1b, us-east-1-bos-1a (a Local Zone) and ap-northeast-1-wl1-nrt-wlz-1 all start so. */
    private static final String NAME = "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}";

    private static final Pattern REGION_OF_ZONE = Pattern.compile("^(" + NAME + ")");

    private static final Pattern REGION = Pattern.compile(NAME);

    private AwsRegion() {}

    /** @throws IllegalArgumentException naming the text when it is no AWS region name such as eu-west-1 */
    public static String requireValid(String region) {
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(
                    "\"" + region + "\" is not an AWS region name such as us-east-1 or eu-west-1");
        }
        return region;
    }

    public static Optional<String> of(Map<String, String> labels, String zone) {
        String label = labels == null ? null : labels.get(LABEL);
        if (label != null && !label.isBlank()) {
            return Optional.of(label);
        }
        if (zone == null) {
            return Optional.empty();
        }
        Matcher region = REGION_OF_ZONE.matcher(zone);
        return region.find() ? Optional.of(region.group(1)) : Optional.empty();
    }
}
