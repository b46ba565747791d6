package io.sift.scenario;

import java.util.ArrayList;
import java.util.List;

/** A log message template: literal text with {variables}, pre-split for fast rendering. */
final class LogTemplate {

    interface Vars {
        void append(StringBuilder sb, String variable);
    }

    final String text;
    final int severityNumber;
    final String severityText;
    final String category;
    final boolean traced;
    private final String[] literals;
    private final String[] vars;

    private LogTemplate(String text, int severityNumber, String severityText, String category, boolean traced) {
        this.text = text;
        this.severityNumber = severityNumber;
        this.severityText = severityText;
        this.category = category;
        this.traced = traced;
        List<String> lits = new ArrayList<>();
        List<String> vs = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int pos = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            int close = c == '{' ? text.indexOf('}', pos) : -1;
            if (close > pos && isVar(text.substring(pos + 1, close))) {
                lits.add(literal.toString());
                literal.setLength(0);
                vs.add(text.substring(pos + 1, close));
                pos = close + 1;
            } else {
                literal.append(c);
                pos++;
            }
        }
        lits.add(literal.toString());
        this.literals = lits.toArray(new String[0]);
        this.vars = vs.toArray(new String[0]);
    }

    private static boolean isVar(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    static LogTemplate info(String text, String category, boolean traced) {
        return new LogTemplate(text, 9, "INFO", category, traced);
    }

    static LogTemplate warn(String text, String category, boolean traced) {
        return new LogTemplate(text, 13, "WARN", category, traced);
    }

    static LogTemplate error(String text, String category, boolean traced) {
        return new LogTemplate(text, 17, "ERROR", category, traced);
    }

    String render(Vars v) {
        StringBuilder sb = new StringBuilder(text.length() + 32);
        sb.append(literals[0]);
        for (int i = 0; i < vars.length; i++) {
            v.append(sb, vars[i]);
            sb.append(literals[i + 1]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return severityText + " " + text;
    }
}
