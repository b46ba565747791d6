package io.sift.core.logs;

import io.sift.core.util.StableIds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Online log template mining: each line is masked, then joins the template of its service it fits, generalises the
 * closest one, or starts a new one. Stateless itself; all memory lives in a {@link TemplateMinerState} per service.
 */
public final class TemplateMiner implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String WILDCARD = LogMasker.WILDCARD;

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
        List<String> tokens = shape(message);
        TemplateIndex index = index(state);
        state.lines++;
        String key = String.join(" ", tokens);

        MinedTemplate known = index.shape(key);
        if (known != null) {
            return matched(state, known, eventTime);
        }
        List<MinedTemplate> candidates = index.sameLength(tokens.size());
        MinedTemplate covering = null;
        int coveringConstants = -1;
        for (MinedTemplate template : candidates) {
            int constants = coveredConstants(template.tokens, tokens);
            if (constants > coveringConstants) {
                covering = template;
                coveringConstants = constants;
            }
        }
        if (covering != null) {
            index.rememberShape(key, covering);
            return matched(state, covering, eventTime);
        }
        MinedTemplate target = mergeTarget(candidates, tokens);
        if (target != null) {
            String previousId = target.id;
            for (int i = 0; i < tokens.size(); i++) {
                if (!target.tokens.get(i).equals(tokens.get(i))) {
                    target.tokens.set(i, WILDCARD);
                }
            }
            target.id = idOf(target.tokens);
            absorbCovered(state, index, target);
            index.rememberShape(key, target);
            matched(state, target, eventTime);
            return new MineResult(target, MineResult.Outcome.GENERALISED, previousId, null);
        }
        String evictedId = null;
        if (state.templates.size() >= config.maxTemplates()) {
            evictedId = evictLeastRecentlyUsed(state, index);
        }
        MinedTemplate created = new MinedTemplate();
        created.tokens = new ArrayList<>(tokens);
        created.id = idOf(created.tokens);
        created.firstSeen = eventTime;
        state.templates.add(created);
        state.created++;
        index.add(created);
        index.rememberShape(key, created);
        matched(state, created, eventTime);
        return new MineResult(created, MineResult.Outcome.NEW, null, evictedId);
    }

    /** The masked tokens of a message, runs of variables collapsed to one, capped at {@code maxTokens}. */
    public List<String> shape(String message) {
        List<String> masked = masker.tokens(message);
        List<String> tokens = new ArrayList<>(Math.min(masked.size(), config.maxTokens()));
        for (String token : masked) {
            boolean variable = token.equals(WILDCARD);
            if (variable && !tokens.isEmpty() && tokens.get(tokens.size() - 1).equals(WILDCARD)) {
                continue; // a list of values of varying length is one variable
            }
            if (tokens.size() == config.maxTokens() - 1) {
                if (!tokens.get(tokens.size() - 1).equals(WILDCARD)) {
                    tokens.add(WILDCARD);
                }
                break;
            }
            tokens.add(token);
        }
        return tokens;
    }

    /** A template id derived from its text only, so every instance and every restore agrees on it. */
    public static String idOf(List<String> templateTokens) {
        return StableIds.of("tpl", String.join(" ", templateTokens));
    }

    private MineResult matched(TemplateMinerState state, MinedTemplate template, long eventTime) {
        template.count++;
        template.lastUsed = state.lines;
        template.lastSeen = Math.max(template.lastSeen, eventTime);
        return new MineResult(template, MineResult.Outcome.MATCHED, null, null);
    }

    /** Constant words of the template the line repeats, or -1 when the line differs in one of them. */
    private static int coveredConstants(List<String> template, List<String> tokens) {
        int constants = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String word = template.get(i);
            if (word.equals(WILDCARD)) {
                continue;
            }
            if (!word.equals(tokens.get(i))) {
                return -1;
            }
            constants++;
        }
        return constants;
    }

    /**
     * The template the line may generalise, or null when it is an event of its own. A line generalises a template
     * only where it holds a variable and the template a word (the word was a value seen before the variable's other
     * forms), and only when it repeats at least {@code minSimilarity} of the constant words involved. Two different
     * words in one place mean two events ("VM Paused" and "VM Started" stay apart).
     */
    private MinedTemplate mergeTarget(List<MinedTemplate> candidates, List<String> tokens) {
        MinedTemplate best = null;
        int bestShared = 0;
        for (MinedTemplate template : candidates) {
            int shared = 0;
            int widened = 0;
            for (int i = 0; i < tokens.size() && widened >= 0; i++) {
                String word = template.tokens.get(i);
                String token = tokens.get(i);
                if (word.equals(token)) {
                    shared += word.equals(WILDCARD) ? 0 : 1;
                } else if (token.equals(WILDCARD)) {
                    widened++;
                } else if (!word.equals(WILDCARD)) {
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

    /** Keeps templates disjoint: those the generalised template now covers are folded into it. */
    private static void absorbCovered(TemplateMinerState state, TemplateIndex index, MinedTemplate general) {
        List<MinedTemplate> covered = new ArrayList<>();
        for (MinedTemplate other : index.sameLength(general.tokens.size())) {
            if (other != general && coveredConstants(general.tokens, other.tokens) >= 0) {
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

    private String evictLeastRecentlyUsed(TemplateMinerState state, TemplateIndex index) {
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

    private TemplateIndex index(TemplateMinerState state) {
        if (state.index == null) {
            state.index = new TemplateIndex(state.templates, 4 * config.maxTemplates());
        }
        return state.index;
    }
}
