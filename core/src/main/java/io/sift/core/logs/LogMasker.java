package io.sift.core.logs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a log message into whitespace-separated tokens and replaces the variable parts of each token with
 * {@link #WILDCARD}, so that lines of one event look alike before they are grouped.
 *
 * <p>Hand-written character scanning rather than regular expressions: the miner must keep up with hundreds of
 * thousands of lines per second per core. A token is masked whole when it is a variable (a URL, a path, a number ...);
 * otherwise it is cut at structural punctuation ({@code = : ( ) [ ] , @} ...) and each piece is masked on its own, so
 * {@code phys_ram=64172MB} becomes {@code phys_ram=<*>} and {@code chdir(/tmp/x)} becomes {@code chdir(<*>)}.
 */
public final class LogMasker implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What a masked variable looks like in a template (the Loghub convention). */
    public static final String WILDCARD = "<*>";

    /** Opening wrappers peeled off a token before it is classified, and put back afterwards. */
    private static final String OPENERS = "([{<\"'";
    /** Closing wrappers and trailing sentence punctuation peeled off a token. */
    private static final String CLOSERS = ")]}>\"',;.:!?";
    /** Characters that cut a token into separately masked pieces (runs of two or more dots cut too). */
    private static final String STRUCTURAL = "=:()[]{},;|<>'\"@";

    private static final Set<String> CALENDAR_WORDS = Set.of(
            "mon", "tue", "wed", "thu", "fri", "sat", "sun",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
            "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
            "december");
    /**
     * Top-level domains common enough to mark a dotted name as a host; not those that end dotted code names too
     * ("id" as in mapred.task.id, "info" as in log.info, "int").
     */
    private static final Set<String> TOP_LEVEL_DOMAINS = Set.of(
            "com", "net", "org", "edu", "gov", "mil", "io", "co", "biz", "local", "internal", "lan",
            "us", "uk", "de", "fr", "jp", "cn", "hk", "tw", "kr", "ru", "in", "au", "ca", "nl", "se", "ch", "it", "es",
            "br", "eu", "be", "at", "dk", "fi", "no", "pl", "cz", "il", "sg", "nz", "za", "mx", "ar");
    private static final Set<String> SIZE_UNITS = Set.of(
            "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB", "kB");
    /** First characters of {@link #SIZE_UNITS} and (lower case) of {@link #CALENDAR_WORDS}: a cheap first test. */
    private static final String SIZE_UNIT_STARTS = "BKMGTPk";
    private static final String CALENDAR_STARTS = "mtwfsjaond";
    private static final Set<String> TIME_UNITS = Set.of(
            "ns", "us", "\u00b5s", "ms", "s", "sec", "secs", "m", "min", "mins", "h", "hr", "hrs", "d");

    private final boolean url;
    private final boolean email;
    private final boolean uuid;
    private final boolean ip;
    private final boolean host;
    private final boolean path;
    private final boolean hex;
    private final boolean duration;
    private final boolean number;
    private final boolean identifier;
    private final boolean datetime;
    private final boolean quoted;

    public LogMasker(Set<MaskRule> rules) {
        EnumSet<MaskRule> on = rules.isEmpty() ? EnumSet.noneOf(MaskRule.class) : EnumSet.copyOf(rules);
        url = on.contains(MaskRule.URL);
        email = on.contains(MaskRule.EMAIL);
        uuid = on.contains(MaskRule.UUID);
        ip = on.contains(MaskRule.IP);
        host = on.contains(MaskRule.HOST);
        path = on.contains(MaskRule.PATH);
        hex = on.contains(MaskRule.HEX);
        duration = on.contains(MaskRule.DURATION);
        number = on.contains(MaskRule.NUMBER);
        identifier = on.contains(MaskRule.IDENTIFIER);
        datetime = on.contains(MaskRule.DATETIME);
        quoted = on.contains(MaskRule.QUOTED);
    }

    /** The message's tokens with variables masked; an empty list for a blank message. */
    public List<String> tokens(String message) {
        String text = quoted ? maskQuoted(message) : message;
        List<String> tokens = new ArrayList<>(16);
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens.add(maskToken(text.substring(start, i)));
            }
        }
        if (number) {
            absorbSizeUnits(tokens);
        }
        if (datetime) {
            absorbCalendarWords(tokens);
        }
        return tokens;
    }

    private static boolean isSpace(char c) {
        return c <= ' ' || (c > 127 && Character.isWhitespace(c));
    }

    /** One whitespace-free token, masked. */
    String maskToken(String token) {
        int features = features(token);
        if ((features & (DIGIT | SLASH | AT | INNER_DOT)) == 0 || (features == INNER_DOT && !host)) {
            return token; // no rule can claim a token without digits, slashes, at signs or inner dots
        }
        int start = 0;
        int end = token.length();
        while (start < end && OPENERS.indexOf(token.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && CLOSERS.indexOf(token.charAt(end - 1)) >= 0) {
            end--;
        }
        if (start == end) {
            return token;
        }
        String core = token.substring(start, end);
        String masked = maskCore(core, features);
        if (masked.equals(core)) {
            return token;
        }
        return token.substring(0, start) + masked + token.substring(end);
    }

    // Character classes present in a string, so that only the rules that could apply are tried.
    private static final int DIGIT = 1;
    private static final int SLASH = 2;
    private static final int AT = 4;
    private static final int INNER_DOT = 8;
    private static final int COLON = 16;

    private static int features(String s) {
        int features = 0;
        int last = s.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                features |= DIGIT;
            } else if (c == '/' || c == '\\') {
                features |= SLASH;
            } else if (c == '@') {
                features |= AT;
            } else if (c == '.' && i < last) {
                features |= INNER_DOT;
            } else if (c == ':') {
                features |= COLON;
            }
        }
        return features;
    }

    private String maskCore(String core, int features) {
        if (isWholeVariable(core, features)) {
            return WILDCARD;
        }
        if (!hasStructural(core)) {
            return maskPiece(core);
        }
        StringBuilder out = new StringBuilder(core.length());
        int n = core.length();
        int i = 0;
        while (i < n) {
            int delimiterEnd = structuralRunEnd(core, i);
            if (delimiterEnd > i) {
                out.append(core, i, delimiterEnd);
                i = delimiterEnd;
                continue;
            }
            int j = i;
            while (j < n && structuralRunEnd(core, j) == j) {
                j++;
            }
            String piece = core.substring(i, j);
            String masked = isName(core, piece, j) ? piece
                    : isWholeVariable(piece, features(piece)) ? WILDCARD : maskPiece(piece);
            if (number && masked.equals(WILDCARD)) {
                j = skipPort(core, j); // host:8080 is one endpoint
            }
            out.append(masked);
            i = j;
        }
        return out.toString();
    }

    /** A key before {@code =} or a function before {@code (}: names, even when they carry digits (jk2_init()). */
    private static boolean isName(String core, String piece, int end) {
        return end < core.length() && (core.charAt(end) == '=' || core.charAt(end) == '(')
                && Character.isLetter(piece.charAt(0));
    }

    /** After a masked host, the end of a {@code :port} that follows it, else {@code colon} itself. */
    private static int skipPort(String core, int colon) {
        if (colon + 1 >= core.length() || core.charAt(colon) != ':' || !isDigit(core.charAt(colon + 1))) {
            return colon;
        }
        int j = colon + 1;
        while (j < core.length() && isDigit(core.charAt(j))) {
            j++;
        }
        return j == core.length() || structuralRunEnd(core, j) > j ? j : colon;
    }

    private static boolean hasStructural(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (structuralRunEnd(s, i) > i) {
                return true;
            }
        }
        return false;
    }

    /** End of the structural delimiter starting at {@code i}, or {@code i} when none starts there. */
    private static int structuralRunEnd(String s, int i) {
        char c = s.charAt(i);
        if (STRUCTURAL.indexOf(c) >= 0) {
            return i + 1;
        }
        if (c == '.' && i + 1 < s.length() && s.charAt(i + 1) == '.') {
            int j = i;
            while (j < s.length() && s.charAt(j) == '.') {
                j++;
            }
            return j;
        }
        return i;
    }

    /** A piece without structural delimiters that is not a whole variable: identifiers carrying digits. */
    private String maskPiece(String piece) {
        if (!identifier || !hasDigit(piece)) {
            return piece;
        }
        int n = piece.length();
        int letters = 0;
        while (letters < n && isAsciiLetter(piece.charAt(letters))) {
            letters++;
        }
        // eth0, alt0, C1: a name with a single trailing digit is usually a fixed device or register name.
        if (letters > 0 && letters == n - 1) {
            return piece;
        }
        String dotted = maskNumericSegments(piece);
        if (dotted != null) {
            return dotted;
        }
        return WILDCARD;
    }

    /**
     * {@code core.12345} becomes {@code core.<*>}: in a dotted name made of words and plain numbers only the numbers
     * vary. Null when the piece is not of that form.
     */
    private static String maskNumericSegments(String piece) {
        if (piece.indexOf('.') < 0) {
            return null;
        }
        boolean word = false;
        int start = 0;
        for (int i = 0; i <= piece.length(); i++) {
            if (i < piece.length() && piece.charAt(i) != '.') {
                continue;
            }
            if (i == start) {
                return null;
            }
            boolean digits = true;
            boolean letters = true;
            for (int j = start; j < i; j++) {
                char c = piece.charAt(j);
                digits &= isDigit(c);
                letters &= isAsciiLetter(c) || c == '_';
            }
            if (!digits && !letters) {
                return null;
            }
            word |= letters;
            start = i + 1;
        }
        if (!word) {
            return null;
        }
        StringBuilder out = new StringBuilder(piece.length());
        for (String segment : piece.split("\\.", -1)) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(isDigit(segment.charAt(0)) ? WILDCARD : segment);
        }
        return out.toString();
    }

    /**
     * Whether a rule claims the whole string. The rules are side-effect-free tests joined by "or", so their order only
     * decides the cost: plain numbers, the most common variable, are tried first.
     */
    private boolean isWholeVariable(String s, int features) {
        boolean digit = (features & DIGIT) != 0;
        return (number && digit && isNumber(s))
                || (url && (features & (COLON | SLASH)) == (COLON | SLASH) && isUrl(s))
                || (email && (features & AT) != 0 && isEmail(s))
                || (uuid && s.length() == 36 && isUuid(s))
                || (datetime && digit && isDateOrTime(s))
                || (ip && digit && (isIpv4(s) || ((features & COLON) != 0 && isIpv4WithPort(s))))
                || (host && (features & INNER_DOT) != 0 && isHostName(s))
                || (path && (features & SLASH) != 0 && isPath(s))
                || (hex && digit && isHex(s))
                || (duration && digit && isDuration(s));
    }

    static boolean isUrl(String s) {
        int scheme = s.indexOf("://");
        if (scheme <= 0 || scheme + 3 >= s.length()) {
            return false;
        }
        for (int i = 0; i < scheme; i++) {
            char c = s.charAt(i);
            if (!(isAsciiLetter(c) || isDigit(c) || c == '+' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean isEmail(String s) {
        int at = s.indexOf('@');
        if (at <= 0 || at != s.lastIndexOf('@')) {
            return false;
        }
        int dot = s.indexOf('.', at + 2);
        if (dot < 0 || dot == s.length() - 1) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAsciiLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
                    || c == '@')) {
                return false;
            }
        }
        return true;
    }

    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean hyphenPlace = i == 8 || i == 13 || i == 18 || i == 23;
            if (hyphenPlace ? c != '-' : !isHexDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code 13:12:11}, {@code 13:12:11.675}, {@code 2017-05-16}, {@code 2017-05-16T05:00:00Z}, {@code 2005/06/03}. */
    static boolean isDateOrTime(String s) {
        int digits = 0;
        int colons = 0;
        int dashesOrSlashes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                digits++;
            } else if (c == ':') {
                colons++;
            } else if (c == '-' || c == '/') {
                dashesOrSlashes++;
            } else if (!(c == '.' || c == ',' || c == 'T' || c == 'Z' || c == '+')) {
                return false;
            }
        }
        if (digits < 4 || !isDigit(s.charAt(0))) {
            return false;
        }
        // A time needs two colons (hh:mm:ss); a date needs two dashes or slashes between digit groups.
        return colons >= 2 || (dashesOrSlashes == 2 && digits >= 6 && hasDateShape(s));
    }

    private static boolean hasDateShape(String s) {
        int groups = 0;
        int len = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '-';
            if (isDigit(c)) {
                len++;
            } else if (c == '-' || c == '/') {
                if (len == 0 || len > 4) {
                    return false;
                }
                groups++;
                len = 0;
            } else {
                return groups == 2 && len > 0; // a time part follows the date (2017-05-16T05...)
            }
        }
        return groups == 3;
    }

    static boolean isIpv4(String s) {
        int i = s.startsWith("/") ? 1 : 0;
        int groups = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 3) {
                return false;
            }
            groups++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != '.' || groups == 4) {
                return false;
            }
            i++;
        }
        return groups == 4 && !s.endsWith(".");
    }

    /** {@code www.example.com}, {@code node-1.rack.example.org}: letter-digit-hyphen labels and a known TLD. */
    static boolean isHostName(String s) {
        int lastDot = s.lastIndexOf('.');
        if (lastDot <= 0 || lastDot == s.length() - 1) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (i == labelStart) {
                    return false;
                }
                labelStart = i + 1;
            } else if (!(isAsciiLetter(c) || isDigit(c) || c == '-')) {
                return false;
            }
        }
        return TOP_LEVEL_DOMAINS.contains(s.substring(lastDot + 1).toLowerCase(java.util.Locale.ROOT));
    }

    static boolean isIpv4WithPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1 || !isIpv4(s.substring(0, colon))) {
            return false;
        }
        for (int i = colon + 1; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isPath(String s) {
        int n = s.length();
        if (n < 2 || !hasLetterOrDigit(s)) {
            return false;
        }
        if (s.charAt(0) == '/') {
            return isAsciiLetter(s.charAt(1)) || isDigit(s.charAt(1)) || "._-~/".indexOf(s.charAt(1)) >= 0;
        }
        if (s.startsWith("./") || s.startsWith("../") || s.startsWith("~/")) {
            return true;
        }
        if (n > 3 && isAsciiLetter(s.charAt(0)) && s.charAt(1) == ':' && s.charAt(2) == '\\') {
            return true; // C:\Windows\...
        }
        int slashes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '\\') {
                slashes++;
            } else if (!(isAsciiLetter(c) || isDigit(c) || "._-~+%$".indexOf(c) >= 0)) {
                return false; // chdir(/x/y) is a call with a path in it, not a path
            }
        }
        return slashes >= 2 && s.charAt(n - 1) != '/' || slashes >= 3;
    }

    static boolean isHex(String s) {
        int n = s.length();
        if (isHexGroups(s)) {
            return true;
        }
        if (n > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
            for (int i = 2; i < n; i++) {
                if (!isHexDigit(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
        if (n < 8) {
            return false;
        }
        boolean digit = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!isHexDigit(c)) {
                return false;
            }
            digit |= isDigit(c);
        }
        return digit;
    }

    /** MAC addresses and similar ids: four or more groups of two hex digits joined by colons or hyphens. */
    static boolean isHexGroups(String s) {
        int n = s.length();
        if (n < 11 || (n + 1) % 3 != 0) {
            return false;
        }
        char separator = s.charAt(2);
        if (separator != ':' && separator != '-') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (i % 3 == 2 ? c != separator : !isHexDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code 250ms}, {@code 1.5s}, {@code 1h30m}. */
    static boolean isDuration(String s) {
        int i = 0;
        int n = s.length();
        boolean any = false;
        while (i < n) {
            int start = i;
            while (i < n && (isDigit(s.charAt(i)) || (s.charAt(i) == '.' && i > start))) {
                i++;
            }
            if (i == start) {
                return false;
            }
            int unitStart = i;
            while (i < n && !isDigit(s.charAt(i))) {
                i++;
            }
            if (!TIME_UNITS.contains(s.substring(unitStart, i).toLowerCase(java.util.Locale.ROOT))) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** {@code 42}, {@code -1}, {@code 0.25}, {@code 1,024}, {@code 64172MB}, {@code 45%}, {@code 5.2e-3}. */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+' || s.charAt(i) == '#')) {
            i++;
        }
        int digitsStart = i;
        while (i < n && (isDigit(s.charAt(i))
                || ((s.charAt(i) == '.' || s.charAt(i) == ',') && i > digitsStart && i + 1 < n
                        && isDigit(s.charAt(i + 1))))) {
            i++;
        }
        if (i == digitsStart) {
            return false;
        }
        if (i + 1 < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')
                && (isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '-' || s.charAt(i + 1) == '+')) {
            int j = i + 1;
            if (s.charAt(j) == '-' || s.charAt(j) == '+') {
                j++;
            }
            int expStart = j;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
            }
            if (j > expStart) {
                i = j;
            }
        }
        if (i == n) {
            return true;
        }
        if (s.charAt(i) == '%' && i == n - 1) {
            return true;
        }
        // A short unit: 64172MB, 15GB, 4k.
        int unit = n - i;
        if (unit > 3) {
            return false;
        }
        for (int j = i; j < n; j++) {
            if (!isAsciiLetter(s.charAt(j))) {
                return false;
            }
        }
        return true;
    }

    /** Replaces the inside of quoted spans: {@code host 'a b'} becomes {@code host '<*>'}. */
    static String maskQuoted(String line) {
        if (line.indexOf('\'') < 0 && line.indexOf('"') < 0) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length());
        int n = line.length();
        int i = 0;
        while (i < n) {
            char c = line.charAt(i);
            if ((c == '\'' || c == '"') && (i == 0 || "([{=:, \t".indexOf(line.charAt(i - 1)) >= 0)) {
                int close = line.indexOf(c, i + 1);
                if (close > i + 1 && (close == n - 1 || " \t)]},;.:!?".indexOf(line.charAt(close + 1)) >= 0)) {
                    out.append(c).append(WILDCARD).append(c);
                    i = close + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** A data size written with a space ({@code 5.2 KB}) is one value, like {@code 5.2KB}. */
    private static void absorbSizeUnits(List<String> tokens) {
        for (int i = tokens.size() - 2; i >= 0; i--) {
            if (!tokens.get(i).equals(WILDCARD)) {
                continue;
            }
            String next = tokens.get(i + 1);
            int end = next.length();
            while (end > 0 && CLOSERS.indexOf(next.charAt(end - 1)) >= 0) {
                end--;
            }
            // Every size unit is 1-3 characters and starts with one of these: most words are ruled out without a copy.
            if (end >= 1 && end <= 3 && SIZE_UNIT_STARTS.indexOf(next.charAt(0)) >= 0
                    && SIZE_UNITS.contains(next.substring(0, end))) {
                tokens.set(i, WILDCARD + next.substring(end));
                tokens.remove(i + 1);
            }
        }
    }

    /** Month and weekday names and zone abbreviations next to a masked value are part of a timestamp. */
    private static void absorbCalendarWords(List<String> tokens) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                if (token.equals(WILDCARD)) {
                    continue;
                }
                boolean before = i > 0 && tokens.get(i - 1).equals(WILDCARD);
                boolean after = i + 1 < tokens.size() && tokens.get(i + 1).equals(WILDCARD);
                if (!(before || after) || token.length() < 3 || token.length() > 10
                        || !isAsciiLetter(token.charAt(0))) {
                    continue;
                }
                boolean calendar = CALENDAR_STARTS.indexOf(Character.toLowerCase(token.charAt(0))) >= 0
                        && CALENDAR_WORDS.contains(stripComma(token).toLowerCase(java.util.Locale.ROOT));
                boolean zone = before && after && isZoneAbbreviation(token);
                if (calendar || zone) {
                    tokens.set(i, WILDCARD);
                    changed = true;
                }
            }
        }
    }

    private static String stripComma(String token) {
        return token.endsWith(",") ? token.substring(0, token.length() - 1) : token;
    }

    private static boolean isZoneAbbreviation(String token) {
        if (token.length() < 3 || token.length() > 5) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < 'A' || token.charAt(i) > 'Z') {
                return false;
            }
        }
        return token.endsWith("T") || token.equals("UTC");
    }

    private static boolean hasLetterOrDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isAsciiLetter(s.charAt(i)) || isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
