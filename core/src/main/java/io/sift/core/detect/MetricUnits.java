package io.sift.core.detect;

/**
 * Normalises a sample's unit so the same quantity in different units means the same to the detector: durations in
 * milliseconds ({@code ms}), data sizes in bytes ({@code By}), ratios as fractions ({@code 1}). The canonical duration
 * unit is the millisecond, not OpenTelemetry's second, because existing settings (static thresholds, smallest
 * deviations) and dashboards were written for millisecond latencies; a producer sending seconds or microseconds now
 * gets the same scores as one sending milliseconds. Any other unit (e.g. {@code {request}/s}) is kept as sent.
 *
 * <table>
 *   <caption>Units converted (UCUM codes, plus the common spellings in parentheses)</caption>
 *   <tr><th>quantity</th><th>canonical</th><th>converted from</th></tr>
 *   <tr><td>duration</td><td>ms</td><td>ns, us (µs), ms, s, min, h, d</td></tr>
 *   <tr><td>data</td><td>By</td><td>bit, kbit, Mbit, Gbit, By (B), kBy (kB, KB), MBy (MB), GBy (GB), TBy (TB),
 *   KiBy (KiB), MiBy (MiB), GiBy (GiB), TiBy (TiB)</td></tr>
 *   <tr><td>ratio</td><td>1</td><td>1, %</td></tr>
 * </table>
 */
public final class MetricUnits {

    private MetricUnits() {}

    /** The factor that turns a value in {@code unit} into the canonical unit; 1 for canonical and unknown units. */
    public static double factor(String unit) {
        if (unit == null) {
            return 1.0;
        }
        return switch (unit) {
            case "ns" -> 1e-6;
            case "us", "\u00b5s", "\u03bcs" -> 1e-3;
            case "s" -> 1e3;
            case "min" -> 6e4;
            case "h" -> 3.6e6;
            case "d" -> 8.64e7;
            case "bit" -> 0.125;
            case "kbit" -> 125.0;
            case "Mbit" -> 125_000.0;
            case "Gbit" -> 125_000_000.0;
            case "kBy", "kB", "KB" -> 1e3;
            case "MBy", "MB" -> 1e6;
            case "GBy", "GB" -> 1e9;
            case "TBy", "TB" -> 1e12;
            case "KiBy", "KiB" -> 1024.0;
            case "MiBy", "MiB" -> 1024.0 * 1024;
            case "GiBy", "GiB" -> 1024.0 * 1024 * 1024;
            case "TiBy", "TiB" -> 1024.0 * 1024 * 1024 * 1024;
            case "%" -> 0.01;
            default -> 1.0;
        };
    }

    /** The canonical unit of {@code unit}: ms, By or 1 for the units converted, else {@code unit} itself. */
    public static String canonical(String unit) {
        if (unit == null) {
            return null;
        }
        return switch (unit) {
            case "ns", "us", "\u00b5s", "\u03bcs", "ms", "s", "min", "h", "d" -> "ms";
            case "bit", "kbit", "Mbit", "Gbit", "B", "By", "kBy", "kB", "KB", "MBy", "MB", "GBy", "GB", "TBy", "TB",
                    "KiBy", "KiB", "MiBy", "MiB", "GiBy", "GiB", "TiBy", "TiB" -> "By";
            case "%", "1" -> "1";
            default -> unit;
        };
    }

    /** Whether a value in {@code unit} changes when normalised. */
    public static boolean converts(String unit) {
        return unit != null && factor(unit) != 1.0;
    }

    /** The canonical unit of a counter's rate: the canonical unit per second. */
    public static String perSecond(String unit) {
        String canonical = canonical(unit);
        return canonical == null || canonical.equals("1") ? "1/s" : canonical + "/s";
    }
}
