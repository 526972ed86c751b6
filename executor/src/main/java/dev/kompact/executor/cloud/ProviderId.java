package dev.kompact.executor.cloud;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Node's {@code spec.providerID} on AWS: {@code aws:///us-east-1a/i-0123456789abcdef0}. */
public record ProviderId(String zone, String instanceId) {

    private static final Pattern AWS = Pattern.compile("^aws:///([^/]+)/(i-[0-9a-zA-Z]+)$");

    public static Optional<ProviderId> parse(String providerId) {
        if (providerId == null) {
            return Optional.empty();
        }
        Matcher m = AWS.matcher(providerId);
        return m.matches() ? Optional.of(new ProviderId(m.group(1), m.group(2))) : Optional.empty();
    }

    @Override
    public String toString() {
        return "aws:///" + zone + "/" + instanceId;
    }
}
