package dev.kompact.optimizer.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money is carried as micro-dollars (per hour) so that scores stay integers. */
public final class Money {

    public static final long MICROS_PER_DOLLAR = 1_000_000L;
    public static final int HOURS_PER_MONTH = 730;

    private Money() {}

    public static long micros(BigDecimal dollars) {
        return dollars.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    public static long micros(double dollars) {
        return micros(BigDecimal.valueOf(dollars));
    }

    public static BigDecimal dollars(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    }
}
