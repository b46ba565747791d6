package io.sift.eval.nab;

/**
 * One file's figures at the profile's threshold. Row counts exclude the probationary period; a false-alarm row is
 * a row at or above the threshold outside every window.
 */
public record SeriesFigures(String series, int windows, int detectedWindows, int falseAlarmRows, double rawScore,
        int truePositiveRows, int falseNegativeRows, int trueNegativeRows) {
}
