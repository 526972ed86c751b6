package dev.kompact.optimizer.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money is carried as micro-dollars (per hour) so that scores stay integers. */
public final class Money {

    public static final long MICROS_PER_DOLLAR = 1_000_000L;
    public static final int HOURS_PER_MONTH = 730;

    /** The dearest EC2 instance costs some $100/h; far above it, a price is a typo or an attack on the sums. */
    public static final BigDecimal MAX_PRICE_PER_HOUR = BigDecimal.valueOf(1_000_000);

    private Money() {}

    public static long micros(BigDecimal dollars) {
        return dollars.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    public static long micros(double dollars) {
        return micros(BigDecimal.valueOf(dollars));
    }

    /**
     * An hourly price in dollars as a price list writes it ({@code "0.0416000000"}), refused with an
     * {@link IllegalArgumentException} naming the text when it is no number or no instance's price; without this an
     * exponent such as {@code "1e30"} fails deep in the conversion with an {@link ArithmeticException}.
     */
    public static long hourlyPrice(String dollars) {
        BigDecimal value;
        try {
            value = new BigDecimal(dollars.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("price \"" + dollars + "\" is not a decimal number");
        }
        if (!isHourlyPrice(value)) {
            throw new IllegalArgumentException("price $" + dollars
                    + "/h is negative or beyond any instance's price (over $" + MAX_PRICE_PER_HOUR + "/h)");
        }
        return micros(value);
    }

    /** Whether some instance could cost this many dollars an hour: not negative and not above the ceiling. */
    public static boolean isHourlyPrice(BigDecimal dollars) {
        return dollars.signum() >= 0 && dollars.compareTo(MAX_PRICE_PER_HOUR) <= 0;
    }

    public static BigDecimal dollars(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    }
}
