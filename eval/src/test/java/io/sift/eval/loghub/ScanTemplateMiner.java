package io.sift.eval.loghub;

import io.sift.core.logs.LogMasker;
import io.sift.core.logs.MineResult;
import io.sift.core.logs.MinedTemplate;
import io.sift.core.logs.MinerConfig;
import io.sift.core.logs.TemplateMiner;
import io.sift.core.logs.TemplateMinerState;
import io.sift.core.util.StableIds;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The template miner as it was before its lookup index (commit 62bece0): every line that matches no remembered shape
 * is compared with every template of its token count. Kept verbatim, apart from holding its index beside the state
 * instead of in it, as the reference {@link MinerEquivalenceTest} holds {@link TemplateMiner} to: same templates, same
 * ids, same outcomes, line by line.
 */
final class ScanTemplateMiner implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String WILDCARD = LogMasker.WILDCARD;
    /** Characters after which a shared prefix of the words in one place is kept: {@code user=<*>}. */
    private static final String PREFIX_ENDS = "=:([{<@/'\"";
    /** Characters from which a shared suffix is kept: {@code <*>,}. */
    private static final String SUFFIX_STARTS = ")]}>\"',;.:!?=";

    private final MinerConfig config;
    private final TemplateMiner shaper;
    /** The derived index of each state (the real miner keeps it in a transient field of the state). */
    private final transient Map<TemplateMinerState, ScanIndex> indexes = new IdentityHashMap<>();

    ScanTemplateMiner(MinerConfig config) {
        this.config = config;
        this.shaper = new TemplateMiner(config);
    }

    public MinerConfig config() {
        return config;
    }

    /** Mines one message of the service whose state is given, at event time {@code eventTime} (epoch millis). */
    public MineResult mine(TemplateMinerState state, String message, long eventTime) {
        TemplateMiner.Shape shape = shape(message);
        List<String> tokens = shape.tokens();
        ScanIndex index = index(state);
        state.lines++;
        String key = String.join(" ", tokens);

        MinedTemplate known = index.shape(key);
        if (known != null) {
            return matched(state, known, shape, eventTime);
        }
        List<MinedTemplate> candidates = index.sameLength(tokens.size());
        MinedTemplate covering = mostSpecificMatch(candidates, tokens);
        if (covering != null) {
            index.rememberShape(key, covering);
            return matched(state, covering, shape, eventTime);
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
        matched(state, created, shape, eventTime);
        return new MineResult(created, MineResult.Outcome.NEW, null, evictedId, variantOf);
    }

    /** The {@link TemplateMiner.Shape} of a message (unchanged by the index). */
    public TemplateMiner.Shape shape(String message) {
        return shaper.shape(message);
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
        return !token.contains(WILDCARD);
    }

    private MineResult matched(TemplateMinerState state, MinedTemplate template, TemplateMiner.Shape shape, long eventTime) {
        List<String> tokens = shape.tokens();
        for (int i = 0; i < template.runs.size(); i++) {
            int run = tokens.get(i).equals(WILDCARD) ? shape.runs()[i] : 1;
            if (template.runs.get(i) != run && template.runs.get(i) != 0) {
                template.runs.set(i, 0);
            }
        }
        template.count++;
        template.lastUsed = state.lines;
        template.lastSeen = Math.max(template.lastSeen, eventTime);
        return new MineResult(template, MineResult.Outcome.MATCHED, null, null, null);
    }

    /** The matching template with the most constant tokens (then the most partly constant ones), or null. */
    private static MinedTemplate mostSpecificMatch(List<MinedTemplate> candidates, List<String> tokens) {
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
    private MinedTemplate widenable(List<MinedTemplate> candidates, List<String> tokens) {
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
    private Map<Integer, List<MinedTemplate>> siblings(List<MinedTemplate> candidates, List<String> tokens) {
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
    private MineResult generalise(TemplateMinerState state, ScanIndex index, MinedTemplate target,
            TemplateMiner.Shape shape, int position, String token, String key, long eventTime) {
        List<String> tokens = shape.tokens();
        String previousId = target.id;
        for (int i = 0; i < tokens.size(); i++) {
            if (i == position) {
                target.tokens.set(i, token);
            } else if (!matches(target.tokens.get(i), tokens.get(i))) {
                target.tokens.set(i, tokens.get(i));
            }
        }
        target.id = idOf(target.tokens);
        absorbCovered(state, index, target);
        index.rememberShape(key, target);
        matched(state, target, shape, eventTime);
        return new MineResult(target, MineResult.Outcome.GENERALISED, previousId, null, null);
    }

    /** Keeps templates disjoint: those the generalised template now covers are folded into it. */
    private static void absorbCovered(TemplateMinerState state, ScanIndex index, MinedTemplate general) {
        List<MinedTemplate> covered = new ArrayList<>();
        for (MinedTemplate other : index.sameLength(general.tokens.size())) {
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

    private String evictLeastRecentlyUsed(TemplateMinerState state, ScanIndex index) {
        MinedTemplate oldest = null;
        for (MinedTemplate template : state.templates) {
            if (oldest == null || template.lastUsed < oldest.lastUsed) {
                oldest = template;
            }
        }
        state.templates.remove(oldest);
        index.remove(oldest);
        state.evictions++;
        return oldest.id;
    }

    private ScanIndex index(TemplateMinerState state) {
        return indexes.computeIfAbsent(state, s -> new ScanIndex(s.templates, 4 * config.maxTemplates()));
    }

    /** The old TemplateIndex: templates by token count and a bounded map of masked lines already seen. */
    static final class ScanIndex {

        private final Map<Integer, List<MinedTemplate>> byLength = new HashMap<>();
        private final LinkedHashMap<String, MinedTemplate> seenShapes;
        private final Set<MinedTemplate> dead = Collections.newSetFromMap(new IdentityHashMap<>());

        ScanIndex(List<MinedTemplate> templates, int maxShapes) {
            seenShapes = new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, MinedTemplate> eldest) {
                    return size() > maxShapes;
                }
            };
            for (MinedTemplate template : templates) {
                add(template);
            }
        }

        List<MinedTemplate> sameLength(int length) {
            List<MinedTemplate> list = byLength.get(length);
            return list == null ? List.of() : list;
        }

        void add(MinedTemplate template) {
            byLength.computeIfAbsent(template.tokens.size(), k -> new ArrayList<>()).add(template);
        }

        void remove(MinedTemplate template) {
            List<MinedTemplate> list = byLength.get(template.tokens.size());
            if (list != null) {
                list.remove(template);
            }
            dead.add(template);
        }

        MinedTemplate shape(String key) {
            MinedTemplate template = seenShapes.get(key);
            return template != null && !dead.contains(template) ? template : null;
        }

        void rememberShape(String key, MinedTemplate template) {
            seenShapes.put(key, template);
        }
    }
}
