package dev.kompact.cli.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Number formats shared by the text and HTML reports, fixed to one locale so reports read the same everywhere. */
final class Figures {

    private Figures() {}

    /** Hourly prices keep four decimals: spot prices differ in the fourth. */
    static String perHour(BigDecimal dollars) {
        return dollars.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }

    static String perMonth(BigDecimal dollars) {
        return dollars.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** Dollars and cents with thousands separators, for the HTML headline. */
    static String dollars(BigDecimal dollars) {
        DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return "$" + format.format(dollars.setScale(2, RoundingMode.HALF_UP));
    }

    /** A 0..1 share as a percentage with one decimal. */
    static String share(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    static String percent(double percent) {
        return String.format(Locale.ROOT, "%.2f%%", percent);
    }

    static String change(double percent) {
        return percent == 0 ? "0.00%" : String.format(Locale.ROOT, "%+.2f%%", percent);
    }

    static String duration(long millis) {
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = Math.round(millis / 1000.0);
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
}
