package io.sift.core.logs;

import io.sift.core.util.StableIds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Online log template mining. Each line is masked ({@link LogMasker}) and then, against the templates of its service
 * with the same number of tokens:
 * <ol>
 *   <li>joins the most specific template that matches it (a template token with {@code <*>} matches any text there);
 *   <li>else widens a template that differs only where the line shows a variable and the template a word (the
 *       word was one value of that variable, seen first);
 *   <li>else, when templates differing from it in one place only already hold {@code minDistinctWords - 1} other
 *       words there, that place becomes a variable and those templates merge (user names, hosts), while a few
 *       alternatives stay separate events ({@code VM Paused} / {@code VM Started});
 *   <li>else starts a new template, evicting the least recently used one past {@code maxTemplates}.
 * </ol>
 * Templates never overlap: when one widens, templates it now covers are folded into it. Stateless itself; all memory
 * is in a {@link TemplateMinerState} per service, and template ids derive from the template text only.
 *
 * <p>The steps compare a line only with the templates its state's {@link TemplateIndex} finds could qualify (posting
 * lists by place and word), in creation order, and evict from a least-recently-used list: a storm of new templates
 * costs about the same per line at any number of templates held, and the templates are those a comparison with
 * every template of the line's length gives.
 */
public final class TemplateMiner implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String WILDCARD = LogMasker.WILDCARD;
    /** Characters after which a shared prefix of the words in one place is kept: {@code user=<*>}. */
    private static final String PREFIX_ENDS = "=:([{<@/'\"";
    /** Characters from which a shared suffix is kept: {@code <*>,}. */
    private static final String SUFFIX_STARTS = ")]}>\"',;.:!?=";

    private final MinerConfig config;
    private final LogMasker masker;

    public TemplateMiner(MinerConfig config) {
        this.config = config;
        this.masker = new LogMasker(config.masks());
    }

    public MinerConfig config() {
        return config;
    }

    /** Mines one message of the service whose state is given, at event time {@code eventTime} (epoch millis). */
    public MineResult mine(TemplateMinerState state, String message, long eventTime) {
        Shape shape = shape(message);
        List<String> tokens = shape.tokens();
        TemplateIndex index = index(state);
        state.lines++;
        String key = String.join(" ", tokens);

        MinedTemplate known = index.shape(key);
        if (known != null) {
            return matched(state, index, known, shape, eventTime);
        }
        // Only templates that can qualify below, in creation order: as a scan of all of this length would find.
        Collection<MinedTemplate> candidates = index.candidates(tokens);
        MinedTemplate covering = mostSpecificMatch(candidates, tokens);
        if (covering != null) {
            index.rememberShape(key, covering);
            return matched(state, index, covering, shape, eventTime);
        }
        MinedTemplate widened = widenable(candidates, tokens);
        if (widened != null) {
            return generalise(state, index, widened, shape, -1, null, key, eventTime);
        }
        Map<Integer, List<MinedTemplate>> siblings = siblings(candidates, tokens);
        Variation variation = variation(siblings, tokens);
        if (variation != null) {
            return generalise(state, index, variation.target, shape, variation.position, variation.token, key,
                    eventTime);
        }
        String variantOf = null;
        long variantCount = -1;
        for (List<MinedTemplate> atPosition : siblings.values()) {
            for (MinedTemplate sibling : atPosition) {
                if (sibling.count > variantCount) {
                    variantOf = sibling.id;
                    variantCount = sibling.count;
                }
            }
        }
        String evictedId = null;
        if (state.templates.size() >= config.maxTemplates()) {
            evictedId = evictLeastRecentlyUsed(state, index);
        }
        MinedTemplate created = new MinedTemplate();
        created.tokens = new ArrayList<>(tokens);
        created.runs = new ArrayList<>(tokens.size());
        for (int run : shape.runs()) {
            created.runs.add(run);
        }
        created.id = idOf(created.tokens);
        created.firstSeen = eventTime;
        state.templates.add(created);
        state.created++;
        index.add(created);
        index.rememberShape(key, created);
        matched(state, index, created, shape, eventTime);
        return new MineResult(created, MineResult.Outcome.NEW, null, evictedId, variantOf);
    }

    /**
     * A line's masked tokens with each run of variables collapsed to one (a list of values of varying length is one
     * variable), capped at {@code maxTokens}.
     *
     * @param tokens the tokens
     * @param runs   per token, how many masked tokens it stands for (1 unless it is a collapsed run)
     */
    public record Shape(List<String> tokens, int[] runs) {}

    /** The {@link Shape} of a message. */
    public Shape shape(String message) {
        List<String> masked = masker.tokens(message);
        int cap = config.maxTokens();
        List<String> tokens = new ArrayList<>(Math.min(masked.size(), cap));
        int[] runs = new int[Math.min(masked.size(), cap)];
        for (String token : masked) {
            int last = tokens.size() - 1;
            boolean variable = token.equals(WILDCARD);
            if (variable && last >= 0 && tokens.get(last).equals(WILDCARD)) {
                runs[last]++;
                continue;
            }
            if (tokens.size() == cap - 1) {
                if (!tokens.get(last).equals(WILDCARD)) {
                    tokens.add(WILDCARD);
                    runs[last + 1] = 0; // the cut-off rest has no fixed length
                } else {
                    runs[last] = 0;
                }
                break;
            }
            tokens.add(token);
            runs[tokens.size() - 1] = 1;
        }
        return new Shape(tokens, tokens.size() == runs.length ? runs : java.util.Arrays.copyOf(runs, tokens.size()));
    }

    /** A template id derived from its text only, so every instance and every restore agrees on it. */
    public static String idOf(List<String> templateTokens) {
        return StableIds.of("tpl", String.join(" ", templateTokens));
    }

    /** Whether a template token admits a line token: equal, or equal up to the text its wildcards stand for. */
    static boolean matches(String templateToken, String token) {
        if (templateToken.equals(token) || templateToken.equals(WILDCARD)) {
            return true;
        }
        int first = templateToken.indexOf(WILDCARD);
        if (first < 0) {
            return false;
        }
        // Glob match: literal parts in order, the first anchored at the start and the last at the end.
        if (!token.startsWith(templateToken.substring(0, first))) {
            return false;
        }
        int at = first;
        int from = first;
        while (true) {
            int partStart = at + WILDCARD.length();
            int next = templateToken.indexOf(WILDCARD, partStart);
            if (next < 0) {
                String last = templateToken.substring(partStart);
                return token.length() - last.length() >= from && token.endsWith(last);
            }
            String part = templateToken.substring(partStart, next);
            int found = token.indexOf(part, from);
            if (found < 0) {
                return false;
            }
            from = found + part.length();
            at = next;
        }
    }

    private static boolean isConstant(String token) {
        return TemplateIndex.isConstant(token);
    }

    private MineResult matched(TemplateMinerState state, TemplateIndex index, MinedTemplate template, Shape shape,
            long eventTime) {
        List<String> tokens = shape.tokens();
        for (int i = 0; i < template.runs.size(); i++) {
            int run = tokens.get(i).equals(WILDCARD) ? shape.runs()[i] : 1;
            if (template.runs.get(i) != run && template.runs.get(i) != 0) {
                template.runs.set(i, 0);
            }
        }
        template.count++;
        template.lastUsed = state.lines;
        index.touched(template);
        template.lastSeen = Math.max(template.lastSeen, eventTime);
        return new MineResult(template, MineResult.Outcome.MATCHED, null, null, null);
    }

    /** The matching template with the most constant tokens (then the most partly constant ones), or null. */
    private static MinedTemplate mostSpecificMatch(Collection<MinedTemplate> candidates, List<String> tokens) {
        MinedTemplate best = null;
        int bestScore = -1;
        for (MinedTemplate template : candidates) {
            int score = 0;
            for (int i = 0; i < tokens.size() && score >= 0; i++) {
                String word = template.tokens.get(i);
                if (!matches(word, tokens.get(i))) {
                    score = -1;
                } else if (isConstant(word)) {
                    score += 2;
                } else if (!word.equals(WILDCARD)) {
                    score += 1;
                }
            }
            if (score > bestScore) {
                best = template;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * A template the line may widen: everywhere it does not match, the line holds a variable form of the template's
     * word ({@code chdir(<*>)} against {@code chdir(pwd)}), and enough constant words agree.
     */
    private MinedTemplate widenable(Collection<MinedTemplate> candidates, List<String> tokens) {
        MinedTemplate best = null;
        int bestShared = 0;
        for (MinedTemplate template : candidates) {
            int shared = 0;
            int widened = 0;
            for (int i = 0; i < tokens.size() && widened >= 0; i++) {
                String word = template.tokens.get(i);
                String token = tokens.get(i);
                if (matches(word, token)) {
                    shared += isConstant(word) ? 1 : 0;
                } else if (!isConstant(token) && matches(token, word)) {
                    widened++;
                } else {
                    widened = -1;
                }
            }
            if (widened > 0 && shared > bestShared && shared >= config.minSimilarity() * (shared + widened)) {
                best = template;
                bestShared = shared;
            }
        }
        return best;
    }

    /** Templates that differ from a line in one place only, and the variable token that place would become. */
    private record Variation(MinedTemplate target, int position, String token) {}

    /**
     * Templates that differ from the line in one word only (where neither has a variable), by that word's position,
     * provided enough of the other constant words agree.
     */
    private Map<Integer, List<MinedTemplate>> siblings(Collection<MinedTemplate> candidates, List<String> tokens) {
        Map<Integer, List<MinedTemplate>> byPosition = new HashMap<>();
        for (MinedTemplate template : candidates) {
            int differs = -1;
            int shared = 0;
            for (int i = 0; i < tokens.size(); i++) {
                String word = template.tokens.get(i);
                String token = tokens.get(i);
                if (matches(word, token)) {
                    shared += isConstant(word) ? 1 : 0;
                } else if (isConstant(token) || !matches(token, word)) {
                    if (differs >= 0) {
                        differs = -2;
                        break;
                    }
                    differs = i;
                }
            }
            if (differs >= 0 && shared >= 1 && shared >= config.minSimilarity() * (shared + 1)) {
                byPosition.computeIfAbsent(differs, k -> new ArrayList<>()).add(template);
            }
        }
        return byPosition;
    }

    /**
     * When the templates that differ from the line in one place only hold, with the line, at least
     * {@code minDistinctWords} different words there, that place is a variable: returns the most used of them as the
     * target. The first token is never turned into a variable this way: it usually names the event.
     */
    private Variation variation(Map<Integer, List<MinedTemplate>> siblings, List<String> tokens) {
        Variation best = null;
        for (Map.Entry<Integer, List<MinedTemplate>> entry : siblings.entrySet()) {
            int position = entry.getKey();
            if (position == 0) {
                continue;
            }
            Set<String> words = new LinkedHashSet<>();
            words.add(tokens.get(position));
            MinedTemplate target = null;
            for (MinedTemplate template : entry.getValue()) {
                words.add(template.tokens.get(position));
                if (target == null || template.count > target.count) {
                    target = template;
                }
            }
            if (words.size() >= config.minDistinctWords()
                    && (best == null || target.count > best.target.count)) {
                best = new Variation(target, position, variableOf(words));
            }
        }
        return best;
    }

    /** The variable token standing for several words: their shared prefix and suffix kept around {@code <*>}. */
    static String variableOf(Set<String> words) {
        String prefix = null;
        String suffix = null;
        for (String word : words) {
            prefix = prefix == null ? word : commonPrefix(prefix, word);
            suffix = suffix == null ? word : commonSuffix(suffix, word);
        }
        int prefixEnd = 0;
        for (int i = 0; i < prefix.length(); i++) {
            if (PREFIX_ENDS.indexOf(prefix.charAt(i)) >= 0) {
                prefixEnd = i + 1;
            }
        }
        int suffixStart = suffix.length();
        for (int i = suffix.length() - 1; i >= 0; i--) {
            if (SUFFIX_STARTS.indexOf(suffix.charAt(i)) >= 0) {
                suffixStart = i;
            } else {
                break;
            }
        }
        String kept = prefix.substring(0, prefixEnd);
        String tail = suffix.substring(suffixStart);
        return kept + WILDCARD + (tail.length() + kept.length() > shortest(words) ? "" : tail);
    }

    private static int shortest(Set<String> words) {
        int min = Integer.MAX_VALUE;
        for (String word : words) {
            min = Math.min(min, word.length());
        }
        return min;
    }

    private static String commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(0, i);
    }

    private static String commonSuffix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(a.length() - 1 - i) == b.charAt(b.length() - 1 - i)) {
            i++;
        }
        return a.substring(a.length() - i);
    }

    /**
     * Widens the target to admit the line (and, at {@code position}, to {@code token}), folds in the templates it
     * now covers, and counts the line.
     */
    private MineResult generalise(TemplateMinerState state, TemplateIndex index, MinedTemplate target,
            Shape shape, int position, String token, String key, long eventTime) {
        List<String> tokens = shape.tokens();
        String previousId = target.id;
        index.beforeRetokenise(target);
        for (int i = 0; i < tokens.size(); i++) {
            if (i == position) {
                target.tokens.set(i, token);
            } else if (!matches(target.tokens.get(i), tokens.get(i))) {
                target.tokens.set(i, tokens.get(i));
            }
        }
        target.id = idOf(target.tokens);
        index.afterRetokenise(target);
        absorbCovered(state, index, target);
        index.rememberShape(key, target);
        matched(state, index, target, shape, eventTime);
        return new MineResult(target, MineResult.Outcome.GENERALISED, previousId, null, null);
    }

    /** Keeps templates disjoint: those the generalised template now covers are folded into it. */
    private static void absorbCovered(TemplateMinerState state, TemplateIndex index, MinedTemplate general) {
        List<MinedTemplate> covered = new ArrayList<>();
        for (MinedTemplate other : index.coverCandidates(general.tokens)) {
            if (other != general && covers(general.tokens, other.tokens)) {
                covered.add(other);
            }
        }
        for (MinedTemplate other : covered) {
            general.count += other.count;
            general.firstSeen = Math.min(general.firstSeen, other.firstSeen);
            general.lastSeen = Math.max(general.lastSeen, other.lastSeen);
            general.lastUsed = Math.max(general.lastUsed, other.lastUsed);
            state.templates.remove(other);
            index.remove(other);
            other.absorbedBy = general;
        }
    }

    private static boolean covers(List<String> general, List<String> specific) {
        for (int i = 0; i < general.size(); i++) {
            if (!matches(general.get(i), specific.get(i))) {
                return false;
            }
        }
        return true;
    }

    private String evictLeastRecentlyUsed(TemplateMinerState state, TemplateIndex index) {
        MinedTemplate oldest = index.leastRecentlyUsed();
        if (oldest == null) {
            for (MinedTemplate template : state.templates) {
                if (oldest == null || template.lastUsed < oldest.lastUsed) {
                    oldest = template;
                }
            }
        }
        state.templates.remove(oldest);
        index.remove(oldest);
        state.evictions++;
        return oldest.id;
    }

    private TemplateIndex index(TemplateMinerState state) {
        if (state.index == null) {
            state.index = new TemplateIndex(state.templates, 4 * config.maxTemplates());
        }
        return state.index;
    }
}
