package dev.kompact.optimizer.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ("250m", "2Gi", "1.5", "1e3") as integers: CPU in millicores, everything else in
 * base units (bytes, counts). Fractions round up, as the API server does when it canonicalises requests.
 */
public final class Quantity {

    private static final Pattern FORMAT =
            Pattern.compile("^([+-]?(?:\\d+\\.?\\d*|\\.\\d+))(?:([eE][+-]?\\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("m", new BigDecimal("0.001")),
            Map.entry("k", BigDecimal.TEN.pow(3)),
            Map.entry("M", BigDecimal.TEN.pow(6)),
            Map.entry("G", BigDecimal.TEN.pow(9)),
            Map.entry("T", BigDecimal.TEN.pow(12)),
            Map.entry("P", BigDecimal.TEN.pow(15)),
            Map.entry("E", BigDecimal.TEN.pow(18)),
            Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
            Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
            Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
            Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
            Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
            Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Quantity() {}

    /** The value of {@code text} in the integer unit of {@code resource}, or empty when it is not a quantity. */
    public static Optional<Long> parse(String resource, String text) {
        Optional<BigDecimal> value = parseDecimal(text);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal scaled = value.get().multiply(BigDecimal.valueOf(ResourceNames.unitsPerWhole(resource)));
        BigDecimal rounded = scaled.setScale(0, RoundingMode.CEILING);
        if (rounded.abs().compareTo(MAX) > 0) {
            return Optional.empty();
        }
        return Optional.of(rounded.longValueExact());
    }

    static Optional<BigDecimal> parseDecimal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1));
        if (m.group(2) != null) {
            int exponent;
            try {
                exponent = Integer.parseInt(m.group(2).substring(1));
            } catch (NumberFormatException e) {
                // an exponent beyond int is beyond any quantity too
                return Optional.empty();
            }
            if (Math.abs(exponent) > 30) {
                return Optional.empty();
            }
            return Optional.of(number.scaleByPowerOfTen(exponent));
        }
        if (m.group(3) != null) {
            return Optional.of(number.multiply(SUFFIXES.get(m.group(3))));
        }
        return Optional.of(number);
    }

    /** The canonical text for an integer amount of {@code resource}, e.g. 1500 cpu → "1500m", 2^31 memory → "2Gi". */
    public static String format(String resource, long amount) {
        if (ResourceNames.CPU.equals(resource)) {
            return amount % 1000 == 0 ? Long.toString(amount / 1000) : amount + "m";
        }
        if (amount != 0 && ResourceNames.isBytes(resource)) {
            String[] suffixes = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
            long value = amount;
            int i = -1;
            while (value % 1024 == 0 && i < suffixes.length - 1) {
                value /= 1024;
                i++;
            }
            return i < 0 ? Long.toString(amount) : value + suffixes[i];
        }
        return Long.toString(amount);
    }
}
