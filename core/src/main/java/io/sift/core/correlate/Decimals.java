package io.sift.core.correlate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Numbers for the ranker's reasons, written as {@code String.format(Locale.ROOT, "%.Nf" / "%.3g", v)} writes them,
 * at a fraction of the cost: a {@code Formatter} per call (parsing the pattern, looking up the locale's digits) was
 * most of the cost of wording the hints of every incident version. Like the Formatter, they round the shortest decimal
 * form of the double half up. That form is {@link Double#toString}'s in the range taken here (outside it the
 * Formatter's may differ in the last digit), so values outside it, NaN and infinities go to {@code String.format}.
 * {@code DecimalsTest} holds the two to the same output.
 */
final class Decimals {

    /** From here up to {@link #FAST_LIMIT}, Double.toString's digits are the Formatter's. */
    private static final double FAST_FLOOR = 1e-3;
    private static final double FAST_LIMIT = 1e7;
    private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);

    private Decimals() {
    }

    /** {@code String.format(Locale.ROOT, "%.<decimals>f", v)}. */
    static String fixed(double v, int decimals) {
        double magnitude = Math.abs(v);
        if (!(magnitude >= FAST_FLOOR && magnitude < FAST_LIMIT)) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        String digits = new BigDecimal(Double.toString(magnitude)).setScale(decimals, RoundingMode.HALF_UP)
                .toPlainString();
        return v < 0 ? "-" + digits : digits;
    }

    /** {@code String.format(Locale.ROOT, "%.3g", v)}. */
    static String threeSignificant(double v) {
        double magnitude = Math.abs(v);
        if (!(magnitude >= FAST_FLOOR && magnitude < 100)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        BigDecimal rounded = new BigDecimal(Double.toString(magnitude)).round(THREE_DIGITS);
        // The Formatter writes 3 significant digits in fixed notation from 1e-4 up to 1e3 (after rounding).
        int exponent = rounded.precision() - rounded.scale() - 1;
        String digits = rounded.setScale(2 - exponent, RoundingMode.HALF_UP).toPlainString();
        return v < 0 ? "-" + digits : digits;
    }
}
