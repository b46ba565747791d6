package io.sift.core.correlate;

import io.sift.core.detect.Excursions;
import io.sift.core.detect.SeriesKeys;
import io.sift.core.maintenance.MaintenanceWindow;
import io.sift.core.topology.Topology;
import io.sift.core.util.StableIds;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.Alert;
import io.sift.schema.AlertRef;
import io.sift.schema.AlertStatus;
import io.sift.schema.Anomaly;
import io.sift.schema.AnomalyRef;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeRef;
import io.sift.schema.Criticality;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItsmAction;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.Priority;
import io.sift.schema.ResolutionSource;
import io.sift.schema.RootCauseHint;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Folds anomalies of one environment into incidents.
 *
 * <ul>
 * <li><b>Grouping:</b> an anomaly joins an open incident when it is another signal of one of the incident's items
 * (within the gap), or when its item is linked to an item of the incident by dependencies within the hop limit in
 * the direction faults travel: it depends on an anomalous item that started before it (a victim), or an anomalous
 * item that started no more than the onset tolerance before it depends on it (a cause detected late); the linked
 * anomaly must be ongoing, or have ended no more than the link gap before. Sharing a neighbour is no link. An
 * anomaly ongoing for longer than the standing limit links nothing new: later trouble opens its own incident.
 * <li><b>Co-onset:</b> where the topology places neither item (no known dependency or dependent, as in an estate
 * without a call graph), an anomaly starting within the co-onset window of an incident's opening joins it.
 * <li><b>User grouping:</b> anomalies with the same group key under a grouping rule ({@link GroupingRules}: equal
 * values of the rule's attributes, e.g. cluster) that overlap in time within the rule's window are linked as well,
 * without a topology path.
 * <li><b>Merging:</b> an anomaly linked to several open incidents merges those whose linked onsets are within the
 * merge window of its own into the oldest (its id survives; the others emit a MERGED version pointing to it); when
 * none or only one is that close, it joins the most closely linked one.
 * <li><b>Harmless anomalies</b> (by the metric's meaning: a usage or latency falling, free capacity rising) join open
 * incidents but open or reopen none ({@link CorrelationConfig#openOnHarmless}).
 * <li><b>Dedup:</b> versions of a known anomaly only update the incident (counts, last seen, peak); a new episode of
 * an item's series joins the incident holding that item. The incident's fingerprint (environment and opening series,
 * without onset, or the opening anomaly's first group key) is its dedup key across recurrences.
 * <li><b>Lifecycle:</b> an incident resolves a quiet period after all its anomalies ended; a resolved incident
 * reopens under its id when, within the cool-down, its root-cause item or its opening series is anomalous again and
 * no open incident explains that; one that resolves and reopens more than the flap count within the flap window is
 * flapping and resolves only after the longer flap quiet; incidents are forgotten at the end of the cool-down.
 * <li><b>ITSM feedback:</b> a person's acknowledgement or assignment adds to the incident; a person's resolution
 * resolves it (further samples of the episodes already folded in do not reopen it, a recurrence does); a closure
 * ends it (a recurrence opens a new incident); a person's reopening keeps it open until a person resolves it.
 * </ul>
 *
 * <p>Inputs must arrive in event-time order for results to be deterministic; the Flink wrapper sorts them.
 */
public final class Correlator implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final long UNRELATED = Long.MAX_VALUE;

    /** Anomaly ids remembered with their incident at most (see {@link #holderHints}); beyond, the hints restart. */
    private static final int MAX_HOLDER_HINTS = 100_000;

    /** A peak this many points higher is worth a new incident version. */
    private static final double PEAK_STEP = 5.0;

    private final CorrelationConfig config;
    private final RootCauseRanker ranker;
    /**
     * Anomaly id → the incident last seen holding it. Most anomaly versions update a known anomaly, and finding its
     * incident by scanning every held incident's anomalies was a sixth of the correlator's time. Only a hint, checked
     * on use (see {@link #holderOf}), so it may go stale or be dropped at any time; not checkpointed, and shared by
     * the environments (keys) of an operator instance, hence bounded.
     */
    private transient Map<String, IncidentState> holderHints;

    /**
     * The order in which anomaly versions of one instant are applied: harmful before harmless or routine (which can then
     * join what the others open, whatever their ids), then by series key, onset and version. Not by id: ids hash the
     * environment's name, and a renamed environment must give the same incidents; within one environment (the
     * correlation scope) every series key carries the same environment, so their order does not depend on its name.
     */
    public static final Comparator<Anomaly> SAME_INSTANT_ORDER = Comparator
            .comparing((Anomaly a) -> MetricMeaning.isHarmless(a.getMetric(), a.getDirection() == Direction.UP)
                    || Excursions.isRoutine(a))
            .thenComparing(Anomaly::getSeriesKey)
            .thenComparing(Anomaly::getOnset)
            .thenComparingLong(Anomaly::getVersion)
            .thenComparing(Anomaly::getId);

    public Correlator(CorrelationConfig config) {
        this.config = config;
        this.ranker = new RootCauseRanker(config.changeLookbackMillis, config.maxHints, config.ranker);
    }

    public CorrelationConfig config() {
        return config;
    }

    /** The correlation scope (Flink key) of an anomaly. */
    public String environmentOf(Anomaly anomaly) {
        return SeriesKeys.environment(anomaly.getResource(), config.defaultEnvironment);
    }

    public String environmentOf(ChangeEvent change) {
        return change.getEnvironment() == null || change.getEnvironment().isBlank()
                ? config.defaultEnvironment : change.getEnvironment();
    }

    public void onChange(CorrelationState state, ChangeEvent change) {
        for (ChangeEvent known : state.recentChanges) {
            if (known.getId().equals(change.getId())) {
                return; // a duplicate delivery
            }
        }
        state.recentChanges.add(change);
        PlannedWindow planned = PlannedWindow.of(change);
        if (planned != null) {
            if (state.plannedWindows == null) {
                state.plannedWindows = new ArrayList<>();
            }
            state.plannedWindows.add(planned);
            // Open incidents on its items are looked at again when it starts (or now, if it has started).
            long check = Math.max(planned.start, change.getTime().toEpochMilli());
            for (IncidentState incident : state.incidents) {
                if (!incident.resolved && covers(planned, incident)) {
                    incident.maintenanceCheck = incident.maintenanceCheck <= 0 ? check
                            : Math.min(incident.maintenanceCheck, check);
                }
            }
        }
    }

    /** Folds one anomaly version in; returns the incident versions it produced (possibly none). */
    public List<Incident> onAnomaly(CorrelationState state, Anomaly anomaly, Topology topology) {
        return onSignal(state, anomaly, null, topology);
    }

    /** Folds in an anomaly, or the signal of an alert ({@code alert} not null: a new entry is marked as its). */
    private List<Incident> onSignal(CorrelationState state, Anomaly anomaly, Alert alert, Topology topology) {
        List<Incident> out = new ArrayList<>();
        String item = anomaly.getResource().getService();
        long time = anomaly.getTime().toEpochMilli();

        IncidentState holder = holderOf(state, anomaly.getId());
        if (holder != null) {
            AnomalyEntry known = holder.find(anomaly.getId());
            boolean wasResolved = holder.resolved;
            double peakBefore = holder.peakScore;
            known.update(anomaly);
            touch(holder, anomaly, time);
            if (wasResolved && holder.resolvedByHuman) {
                // A person resolved it knowing this episode: its tail is no recurrence.
                return out;
            }
            if (wasResolved) {
                reopen(holder, time);
                out.add(emit(holder, IncidentChange.REOPENED, state, topology));
            } else if (holder.peakScore >= peakBefore + PEAK_STEP) {
                out.add(emit(holder, IncidentChange.UPDATED, state, topology));
            } else {
                // A new version only when the top cause moved; its hints come from the same ranking.
                RootCauseRanker.Ranking ranking = ranker.ranking(holder.anomalies, state.recentChanges, topology);
                String top = ranking.topCause();
                if (top != null && !top.equals(holder.lastTopCause)) {
                    out.add(emit(holder, IncidentChange.UPDATED, state, topology, ranking));
                }
            }
            return out;
        }

        long onset = anomaly.getOnset().toEpochMilli();
        Links links = new Links(item, topology, config.maxHops, alert);
        List<String> groups = config.grouping.keysOf(anomaly);
        String fingerprint = groups.isEmpty() ? fingerprint(environmentOf(anomaly), anomaly.getSeriesKey())
                : groupFingerprint(environmentOf(anomaly), groups.get(0));
        List<IncidentState> linked = new ArrayList<>();
        List<Long> distances = new ArrayList<>();
        for (IncidentState incident : state.incidents) {
            long distance = incident.resolved ? UNRELATED
                    : Math.min(linkDistance(incident, item, onset, links, alert, topology),
                    config.grouping.distance(incident.anomalies, groups, onset, config.gapMillis));
            if (distance != UNRELATED) {
                linked.add(incident);
                distances.add(distance);
            }
        }
        List<IncidentState> related = new ArrayList<>(joined(linked, distances));
        if (related.isEmpty()) {
            // Only what no current trouble explains can be an old problem back: a victim of a new fault often is
            // the item an earlier incident blamed.
            for (IncidentState incident : state.incidents) {
                if (incident.resolved && recurs(incident, item, fingerprint, onset)) {
                    related.add(incident);
                }
            }
        }

        if (Excursions.isRoutine(anomaly) || !config.openOnHarmless && MetricMeaning.isHarmless(anomaly.getMetric(),
                anomaly.getDirection() == Direction.UP)) {
            // A routine departure of its series (made several times a day on most days) is no news either.
            // Harmless by its meaning (usage falling, free space rising): it may add to trouble already open, but
            // never opens or reopens an incident of its own.
            related.removeIf(incident -> incident.resolved);
            if (related.isEmpty()) {
                return out;
            }
        }
        if (related.isEmpty()) {
            IncidentState incident = new IncidentState();
            incident.environment = environmentOf(anomaly);
            // Normally an incident opens on an anomaly's first version. A later version opens one only after the
            // incident holding the anomaly was closed or forgotten while the anomaly went on: that incident's id must
            // not be reused (its consumers hold a higher version), so the version is part of the new id.
            incident.id = anomaly.getVersion() <= 1 ? StableIds.of("inc", incident.environment, anomaly.getId())
                    : StableIds.of("inc", incident.environment, anomaly.getId(), "v" + anomaly.getVersion());
            incident.fingerprint = fingerprint;
            incident.openedAt = onset;
            incident.detectedAt = time;
            incident.lastSeen = time;
            incident.anomalies.add(entry(anomaly, groups, alert));
            incident.anomalyUpdates = 1;
            incident.peakScore = anomaly.getScore();
            state.incidents.add(incident);
            rememberHolder(anomaly.getId(), incident);
            out.add(emit(incident, IncidentChange.OPENED, state, topology));
            return out;
        }

        // The oldest survives under its id; the others point to it.
        related.sort(Comparator.comparingLong((IncidentState i) -> i.openedAt).thenComparing(i -> i.id));
        IncidentState survivor = related.get(0);
        for (IncidentState absorbed : related.subList(1, related.size())) {
            survivor.anomalies.addAll(absorbed.anomalies);
            survivor.anomalyUpdates += absorbed.anomalyUpdates;
            survivor.peakScore = Math.max(survivor.peakScore, absorbed.peakScore);
            survivor.lastSeen = Math.max(survivor.lastSeen, absorbed.lastSeen);
            state.incidents.remove(absorbed);
            out.add(emitMerged(absorbed, survivor, state, topology));
        }
        boolean wasResolved = survivor.resolved;
        survivor.anomalies.add(entry(anomaly, groups, alert));
        rememberHolder(anomaly.getId(), survivor);
        touch(survivor, anomaly, time);
        if (wasResolved) {
            reopen(survivor, time);
            out.add(emit(survivor, IncidentChange.REOPENED, state, topology));
        } else {
            out.add(emit(survivor, IncidentChange.UPDATED, state, topology));
        }
        return out;
    }

    /** What folding an alert in gave: the incident versions, and whether it was a resolve of an alert never seen. */
    public record AlertOutcome(List<Incident> incidents, boolean unknownResolve) {}

    /** The correlation scope (Flink key) of an alert. */
    public String environmentOf(Alert alert) {
        return AlertSignals.environment(alert, config.defaultEnvironment);
    }

    /**
     * Folds one alert notification in, as a signal of its entity (see {@link AlertSignals}): a firing alert opens or
     * joins an incident under the same rules as an anomaly; a repeat of a firing alert (same source and fingerprint,
     * whatever start it gives) updates its entry; a resolved one ends its entry, after which the incident resolves
     * when all its signals have ended and the quiet period passed. A resolve of an alert no incident holds (never seen
     * firing, or forgotten after the cool-down) changes nothing; a firing repeat of an episode already resolved is
     * stale and changes nothing either.
     */
    public AlertOutcome onAlert(CorrelationState state, Alert alert, Topology topology) {
        String environment = environmentOf(alert);
        String series = AlertSignals.seriesKey(alert);
        String episode = AlertSignals.episodeId(environment, alert);
        AnomalyEntry exact = null;
        AnomalyEntry live = null;
        for (IncidentState incident : state.incidents) {
            for (AnomalyEntry entry : incident.anomalies) {
                if (entry.alert() && series.equals(entry.series)) {
                    if (entry.id.equals(episode)) {
                        exact = entry;
                    } else if (entry.ongoing()) {
                        live = entry;
                    }
                }
            }
        }
        boolean firing = alert.getStatus() == AlertStatus.FIRING;
        AnomalyEntry known = exact != null ? exact : live;
        if (known != null && !known.ongoing()) {
            // Resolved already: a late repeat (firing or resolved) of an ended episode.
            return new AlertOutcome(List.of(), false);
        }
        if (known == null && !firing) {
            return new AlertOutcome(List.of(), true);
        }
        String id = known != null ? known.id : episode;
        Anomaly signal = AlertSignals.signal(alert, id, environment);
        if (known != null && known.onset != signal.getOnset().toEpochMilli()) {
            // A repeat that moved its start: the episode keeps the start it was folded in with.
            signal.setOnset(java.time.Instant.ofEpochMilli(known.onset));
        }
        return new AlertOutcome(onSignal(state, signal, alert, topology), false);
    }

    /**
     * The incident of the state holding the anomaly, or null. An anomaly is held by one incident at most (a merge
     * moves the absorbed incident's anomalies to the survivor and drops the absorbed one), so a hinted incident that
     * is still held and holds it is the one a scan would find.
     */
    private IncidentState holderOf(CorrelationState state, String anomalyId) {
        IncidentState hinted = holderHints == null ? null : holderHints.get(anomalyId);
        if (hinted != null && hinted.find(anomalyId) != null && state.incidents.contains(hinted)) {
            return hinted;
        }
        for (IncidentState incident : state.incidents) {
            if (incident.find(anomalyId) != null) {
                rememberHolder(anomalyId, incident);
                return incident;
            }
        }
        return null;
    }

    private void rememberHolder(String anomalyId, IncidentState incident) {
        if (holderHints == null || holderHints.size() >= MAX_HOLDER_HINTS) {
            holderHints = new HashMap<>();
        }
        holderHints.put(anomalyId, incident);
    }

    private void forgetHolder(IncidentState incident) {
        if (holderHints != null) {
            for (AnomalyEntry entry : incident.anomalies) {
                holderHints.remove(entry.id, incident);
            }
        }
    }

    /** The correlation scope (Flink key) of ITSM feedback: the environment it names, else the default one. */
    public String environmentOf(ItsmUpdate update) {
        return update.getEnvironment() == null || update.getEnvironment().isBlank()
                ? config.defaultEnvironment : update.getEnvironment();
    }

    /**
     * What applying ITSM feedback gave: the incident versions it produced (possibly none, e.g. a repeated
     * acknowledgement), or why it could not be applied ({@code errorKind} and {@code reason} for a dead letter).
     */
    public record FeedbackOutcome(List<Incident> incidents, String errorKind, String reason) {
        static FeedbackOutcome applied(List<Incident> incidents) {
            return new FeedbackOutcome(incidents, null, null);
        }

        static FeedbackOutcome rejected(String errorKind, String reason) {
            return new FeedbackOutcome(List.of(), errorKind, reason);
        }

        public boolean isRejected() {
            return errorKind != null;
        }
    }

    /** Applies a person's action reported by the ITSM tool to the incident it names. */
    public FeedbackOutcome onFeedback(CorrelationState state, ItsmUpdate update, Topology topology) {
        IncidentState incident = null;
        for (IncidentState candidate : state.incidents) {
            if (candidate.id.equals(update.getIncidentId())) {
                incident = candidate;
            }
        }
        if (incident == null) {
            return FeedbackOutcome.rejected(ErrorKinds.UNKNOWN_INCIDENT, "no live incident " + update.getIncidentId()
                    + " in environment " + environmentOf(update) + ": a wrong id or environment, an incident merged "
                    + "into another, or one forgotten after its reopen cool-down ("
                    + java.time.Duration.ofMillis(config.reopenMillis) + ")");
        }
        long time = Math.max(update.getTime().toEpochMilli(), incident.openedAt);
        boolean details = false;
        if (update.getTicket() != null && !update.getTicket().equals(incident.ticket)) {
            incident.ticket = update.getTicket();
            details = true;
        }
        if (update.getAssignee() != null && !update.getAssignee().equals(incident.assignee)) {
            incident.assignee = update.getAssignee();
            details = true;
        }
        incident.feedbackAt = time;
        List<Incident> out = new ArrayList<>();
        switch (update.getAction()) {
            case ACKNOWLEDGED -> {
                if (incident.acknowledgedAt < 0) {
                    incident.acknowledgedAt = time;
                    out.add(emit(incident, IncidentChange.ACKNOWLEDGED, state, topology));
                } else if (details) {
                    out.add(emit(incident, IncidentChange.ASSIGNED, state, topology));
                }
            }
            case ASSIGNED -> {
                if (details) {
                    out.add(emit(incident, IncidentChange.ASSIGNED, state, topology));
                }
            }
            case RESOLVED -> {
                if (!incident.resolved || !incident.resolvedByHuman) {
                    if (!incident.resolved) {
                        recordTransition(incident, time);
                    }
                    incident.resolved = true;
                    incident.resolvedByHuman = true;
                    incident.heldOpen = false;
                    incident.resolvedAt = time;
                    out.add(emit(incident, IncidentChange.RESOLVED, state, topology));
                }
            }
            case CLOSED -> {
                if (!incident.resolved || !incident.resolvedByHuman) {
                    incident.resolvedAt = time;
                }
                incident.resolved = true;
                incident.resolvedByHuman = true;
                incident.heldOpen = false;
                incident.version++;
                Incident closed = build(incident, IncidentChange.CLOSED, state, topology);
                closed.setStatus(IncidentStatus.CLOSED);
                out.add(closed);
                // Closed for good: a recurrence is a new incident (and a problem candidate), not a reopening.
                state.incidents.remove(incident);
            }
            case REOPENED -> {
                if (incident.resolved) {
                    reopen(incident, time);
                    incident.heldOpen = true;
                    out.add(emit(incident, IncidentChange.REOPENED, state, topology));
                }
            }
            default -> {
                return FeedbackOutcome.rejected(ErrorKinds.UNKNOWN_ACTION, "ITSM action " + update.getAction()
                        + " for incident " + update.getIncidentId() + " is none of ACKNOWLEDGED, ASSIGNED, RESOLVED, "
                        + "CLOSED, REOPENED (written by a newer producer?)");
            }
        }
        return FeedbackOutcome.applied(out);
    }

    /** The dedup key of an incident opened by an anomaly of this series. */
    static String fingerprint(String environment, String series) {
        return StableIds.of("fp", environment, series);
    }

    /** The dedup key of an incident opened by an anomaly of this group: any recurrence in the group is the same. */
    static String groupFingerprint(String environment, String groupKey) {
        return StableIds.of("fp", environment, "group", groupKey);
    }

    private AnomalyEntry entry(Anomaly anomaly, List<String> groups, Alert alert) {
        AnomalyEntry entry = AnomalyEntry.of(anomaly);
        entry.groups = groups.isEmpty() ? null : groups;
        if (alert != null) {
            AlertSignals.mark(entry, alert);
        }
        if (!config.maintenance.isEmpty()) {
            // Matchers are decided once, on the signal's attributes; the schedule is looked at per version.
            java.util.Map<String, String> attributes = MaintenanceWindow.attributesOf(anomaly, alert);
            for (MaintenanceWindow window : config.maintenance) {
                if (window.matches(attributes)) {
                    if (entry.windows == null) {
                        entry.windows = new ArrayList<>(1);
                    }
                    entry.windows.add(window.id());
                }
            }
        }
        return entry;
    }

    /** The first group key of its anomalies in arrival order (the one its members were grouped by), or null. */
    private static String groupKey(IncidentState incident) {
        for (AnomalyEntry entry : incident.anomalies) {
            if (entry.groups != null) {
                return entry.groups.get(0);
            }
        }
        return null;
    }

    /**
     * Whether a new anomaly is the same problem as a resolved incident, back within the cool-down: on the item the
     * incident blamed, or in the series that opened it. Another item's trouble is a new incident, even when the
     * resolved one had touched that item (a hub such as a gateway suffers from every fault).
     */
    private boolean recurs(IncidentState incident, String item, String fingerprint, long onset) {
        return onset <= incident.resolvedAt + config.reopenMillis
                && (item.equals(incident.lastTopCause) || fingerprint.equals(incident.fingerprint));
    }

    /**
     * How closely a new anomaly is linked to an open incident: the smallest onset difference to an anomaly of the
     * incident it is linked to, or {@link #UNRELATED}. Linked are another signal of one of its items while that item is
     * anomalous or within the gap, or an item linked to one of its items by dependencies (within the hop limit) in a
     * way faults travel: a dependent (victim) that starts after the anomaly it depends on, or a dependency (cause)
     * that starts no later than the anomaly depending on it (give or take the onset tolerance), while that anomaly is
     * ongoing or only just ended. Two anomalies that merely share a neighbour (two callers of one service) are not
     * linked: that is how unrelated trouble used to snowball through hubs.
     */
    private long linkDistance(IncidentState incident, String item, long onset, Links links, Alert alert,
            Topology topology) {
        if (!incident.hasOngoing() && onset > incident.activeUntil() + config.gapMillis) {
            return UNRELATED;
        }
        long closest = UNRELATED;
        for (AnomalyEntry entry : incident.anomalies) {
            if (standing(entry, onset)) {
                continue;
            }
            boolean linked;
            if (entry.item.equals(item)) {
                linked = entry.ongoing() || onset <= entry.activeUntil() + config.gapMillis;
            } else if (!entry.ongoing() && onset > entry.activeUntil() + config.linkGapMillis) {
                linked = false;
            } else if (alert != null || entry.alert()) {
                linked = alertLinked(entry, item, onset, links, topology);
            } else {
                // The onset tests first: they are cheaper than the set look-ups and often decide.
                linked = entry.onset <= onset + config.onsetToleranceMillis && links.dependencies.contains(entry.item)
                        || onset <= entry.onset + config.onsetToleranceMillis && links.dependents.contains(entry.item)
                        || coOnset(incident, entry, onset, links);
            }
            if (linked) {
                closest = Math.min(closest, Math.abs(onset - entry.onset));
            }
        }
        return closest;
    }

    /**
     * Whether an alert and another signal (either of them an alert), both active, are linked. An alert starts when its
     * rule fired (after the rule's pending period, at the source's evaluation step), not when the trouble began, so
     * the onset order that tells an anomaly's cause from its victim says little here: linked are items related by
     * dependencies within the hop limit in either direction, a host and what an alert says runs on it, and, where the
     * topology knows nothing of one of the items (no dependency either way), co-onset alone: starts no further apart
     * than the onset tolerance. Two items that merely share a neighbour or a host are still not linked.
     */
    private boolean alertLinked(AnomalyEntry entry, String item, long onset, Links links, Topology topology) {
        if (links.dependencies.contains(entry.item) || links.dependents.contains(entry.item)) {
            return true;
        }
        if (item.equals(entry.alertHost) || entry.item.equals(links.host)) {
            return true;
        }
        return Math.abs(onset - entry.onset) <= config.onsetToleranceMillis && (links.isolated
                || topology.dependenciesOf(entry.item).isEmpty() && topology.dependentsOf(entry.item).isEmpty());
    }

    /**
     * Whether an anomaly had gone on for longer than the standing limit (until another started, or until it ended): a
     * level that stays off for hours is a condition of the estate, not the fault of whatever happens next on or near
     * its item.
     */
    private boolean standing(AnomalyEntry entry, long onset) {
        // How long it lasted, not whether it still lasts: an episode ended by level-shift adoption was standing too.
        long lasted = (entry.ongoing() ? onset : entry.activeUntil()) - entry.onset;
        return config.standingAfterMillis > 0 && lasted > config.standingAfterMillis;
    }

    /**
     * Of the open incidents an anomaly is linked to, those it joins: all whose link is tight in time (merging them),
     * else only the closest. An anomaly that follows one incident's onset closely and another's only loosely is the
     * first one's effect; merging on a loose link would fold a fault into unrelated trouble that happened to be
     * going on next door.
     */
    /**
     * Whether two items the topology does not place (neither has a known dependency or dependent) are linked by their
     * onsets alone: the new anomaly starts within the co-onset window of the incident's opening and of this anomaly.
     * Only an incident's first moments draw co-onsets, so a chain of coincidences cannot grow it; items the topology
     * does place are grouped by their dependencies only.
     */
    private boolean coOnset(IncidentState incident, AnomalyEntry entry, long onset, Links links) {
        return config.coOnsetMillis > 0
                && Math.abs(onset - incident.openedAt) <= config.coOnsetMillis
                && Math.abs(onset - entry.onset) <= config.coOnsetMillis
                && links.isolated
                && links.topology.dependenciesOf(entry.item).isEmpty()
                && links.topology.dependentsOf(entry.item).isEmpty();
    }

    private List<IncidentState> joined(List<IncidentState> linked, List<Long> distances) {
        if (linked.size() <= 1) {
            return linked;
        }
        List<IncidentState> tight = new ArrayList<>();
        int closest = 0;
        for (int i = 0; i < linked.size(); i++) {
            if (distances.get(i) <= config.mergeWindowMillis) {
                tight.add(linked.get(i));
            }
            if (distances.get(i) < distances.get(closest)) {
                closest = i;
            }
        }
        return tight.size() >= 2 ? tight : List.of(linked.get(closest));
    }

    /** The items an anomalous item depends on and those depending on it, within the hop limit. */
    private static final class Links {
        final Topology topology;
        final Set<String> dependencies;
        final Set<String> dependents;
        /** For an alert: the host it names, or null. */
        final String host;
        /** Whether the topology relates the item to nothing (no dependency either way). */
        final boolean isolated;

        Links(String item, Topology topology, int maxHops, Alert alert) {
            this.topology = topology;
            this.dependencies = topology.dependenciesWithin(item, maxHops);
            this.dependents = topology.dependentsWithin(item, maxHops);
            String named = alert == null ? null : alert.getResource().getHost();
            this.host = named == null || named.isBlank() ? null : named;
            this.isolated = topology.dependenciesOf(item).isEmpty() && topology.dependentsOf(item).isEmpty();
        }

    }

    /**
     * Moves event time to {@code watermark}: resolves incidents quiet for long enough, forgets those past their
     * cool-down and changes too old to be suspects. Returns the resolution versions.
     */
    public List<Incident> advance(CorrelationState state, long watermark, Topology topology) {
        List<Incident> out = new ArrayList<>();
        Iterator<IncidentState> it = state.incidents.iterator();
        while (it.hasNext()) {
            IncidentState incident = it.next();
            if (!incident.resolved) {
                windowBoundaries(state, incident, watermark, topology, out);
            }
            if (!incident.resolved && !incident.heldOpen && !incident.hasOngoing()
                    && watermark >= incident.activeUntil() + quietOf(incident)) {
                incident.resolved = true;
                incident.resolvedAt = incident.activeUntil() + quietOf(incident);
                if (incident.flapping) {
                    // The long quiet ended the flapping: a later recurrence starts counting afresh.
                    incident.flapping = false;
                    incident.transitions.clear();
                } else {
                    recordTransition(incident, incident.resolvedAt);
                }
                out.add(emit(incident, IncidentChange.RESOLVED, state, topology));
            }
            if (incident.resolved && watermark >= incident.resolvedAt + config.reopenMillis) {
                it.remove();
                forgetHolder(incident);
            }
        }
        state.recentChanges.removeIf(change -> watermark >= expiry(change) && !usedByLive(state, change));
        if (state.plannedWindows != null) {
            state.plannedWindows.removeIf(window -> watermark >= window.end);
        }
        return out;
    }

    /** The earliest event time at which {@link #advance} could change anything, or Long.MAX_VALUE. */
    public long nextDeadline(CorrelationState state) {
        long next = Long.MAX_VALUE;
        for (IncidentState incident : state.incidents) {
            if (incident.resolved) {
                next = Math.min(next, incident.resolvedAt + config.reopenMillis);
            } else {
                if (!incident.hasOngoing() && !incident.heldOpen) {
                    next = Math.min(next, incident.activeUntil() + quietOf(incident));
                }
                if (incident.maintenanceCheck > 0) {
                    next = Math.min(next, incident.maintenanceCheck); // a maintenance window's start or end
                }
            }
        }
        if (state.plannedWindows != null) {
            for (PlannedWindow window : state.plannedWindows) {
                next = Math.min(next, window.end);
            }
        }
        for (ChangeEvent change : state.recentChanges) {
            // A change kept for a live incident is re-examined when that incident resolves, not before.
            if (!usedByLive(state, change)) {
                next = Math.min(next, expiry(change));
            }
        }
        return next;
    }

    /** When a change is too old to be a suspect of any new anomaly. */
    private long expiry(ChangeEvent change) {
        return change.getTime().toEpochMilli() + config.changeLookbackMillis + config.gapMillis;
    }

    private boolean usedByLive(CorrelationState state, ChangeEvent change) {
        // A change stays while an incident that may cite it is live (it is cheap, and keeps hints stable).
        for (IncidentState incident : state.incidents) {
            if (!incident.resolved && change.getTime().toEpochMilli() >= incident.openedAt - config.changeLookbackMillis) {
                return true;
            }
        }
        return false;
    }

    private static void touch(IncidentState incident, Anomaly anomaly, long time) {
        incident.anomalyUpdates++;
        incident.lastSeen = Math.max(incident.lastSeen, time);
        incident.peakScore = Math.max(incident.peakScore, anomaly.getScore());
    }

    private long quietOf(IncidentState incident) {
        return incident.flapping ? config.flapQuietMillis : config.quietMillis;
    }

    private void reopen(IncidentState incident, long time) {
        incident.resolved = false;
        incident.resolvedAt = -1;
        incident.resolvedByHuman = false;
        recordTransition(incident, time);
        if (incident.transitions.size() > config.flapCount) {
            incident.flapping = true;
        }
    }

    /** Remembers a resolution or reopening, forgetting those older than the flap window. */
    private void recordTransition(IncidentState incident, long time) {
        incident.transitions.add(time);
        incident.transitions.removeIf(t -> t < time - config.flapWindowMillis);
    }

    private static Set<String> items(IncidentState incident) {
        Set<String> items = new TreeSet<>();
        for (AnomalyEntry entry : incident.anomalies) {
            items.add(entry.item);
        }
        return items;
    }

    private Incident emitMerged(IncidentState absorbed, IncidentState survivor, CorrelationState state,
            Topology topology) {
        absorbed.version++;
        Incident incident = build(absorbed, IncidentChange.MERGED, state, topology);
        incident.setStatus(IncidentStatus.MERGED);
        incident.setMergedInto(survivor.id);
        return incident;
    }

    private Incident emit(IncidentState incident, IncidentChange change, CorrelationState state, Topology topology) {
        return emit(incident, change, state, topology, null);
    }

    /** As above, the hints from {@code ranking} when given (a ranking of the incident as it is now), else ranked. */
    private Incident emit(IncidentState incident, IncidentChange change, CorrelationState state, Topology topology,
            RootCauseRanker.Ranking ranking) {
        incident.version++;
        if (change == IncidentChange.OPENED || change == IncidentChange.UPDATED || change == IncidentChange.REOPENED) {
            // A version made by a signal: whether a window covers it may change with what it now holds.
            incident.suppressedBy = suppression(state, incident, incident.lastSeen);
            long next = nextBoundary(state, incident, incident.lastSeen);
            incident.maintenanceCheck = next == Long.MAX_VALUE ? 0 : next;
        }
        // Suppression does not touch what the ranking was made from (anomalies, changes, topology).
        return ranking == null ? build(incident, change, state, topology)
                : build(incident, change, state, topology, ranking);
    }

    /**
     * Emits the SUPPRESSED and RELEASED versions of the window starts and ends an open incident passed up to the
     * watermark, each at its boundary's time; boundaries at or after the incident's resolution are left to it. An
     * incident is released only while one of its signals is still ongoing (the problem is still present).
     */
    private void windowBoundaries(CorrelationState state, IncidentState incident, long watermark, Topology topology,
            List<Incident> out) {
        if (incident.maintenanceCheck <= 0 || incident.maintenanceCheck > watermark) {
            return; // the common case: no window boundary due
        }
        long resolution = !incident.heldOpen && !incident.hasOngoing()
                ? incident.activeUntil() + quietOf(incident) : Long.MAX_VALUE;
        // Bounded: a pathological schedule (a minute-long daily window and a watermark jumping years) gives up
        // after this many boundaries and looks again at the next advance.
        for (int steps = 0; steps < 10_000 && incident.maintenanceCheck > 0
                && incident.maintenanceCheck <= watermark && incident.maintenanceCheck < resolution; steps++) {
            long boundary = incident.maintenanceCheck;
            String window = suppression(state, incident, boundary);
            if (window == null && !incident.hasOngoing()) {
                // The window ended after the problem did: it stays suppressed until it resolves, rather than open a
                // ticket that resolves itself minutes later. A new signal re-evaluates it.
                window = incident.suppressedBy;
            }
            if (!java.util.Objects.equals(window, incident.suppressedBy)) {
                incident.suppressedBy = window;
                incident.maintenanceAt = boundary;
                incident.version++;
                out.add(build(incident, window != null ? IncidentChange.SUPPRESSED : IncidentChange.RELEASED,
                        state, topology));
            }
            long next = nextBoundary(state, incident, boundary);
            incident.maintenanceCheck = next == Long.MAX_VALUE ? 0 : next;
        }
    }

    /**
     * The id of the first window active at {@code time} that covers every signal of the incident (settings windows
     * in their order, then planned windows of changes in arrival order), or null.
     */
    private String suppression(CorrelationState state, IncidentState incident, long time) {
        for (MaintenanceWindow window : config.maintenance) {
            if (window.schedule().activeAt(time) && coversAll(window.id(), incident)) {
                return window.id();
            }
        }
        if (state.plannedWindows != null) {
            for (PlannedWindow window : state.plannedWindows) {
                if (window.activeAt(time) && coversAll(window, incident)) {
                    return window.id;
                }
            }
        }
        return null;
    }

    private static boolean coversAll(String settingsWindow, IncidentState incident) {
        for (AnomalyEntry entry : incident.anomalies) {
            if (entry.windows == null || !entry.windows.contains(settingsWindow)) {
                return false;
            }
        }
        return !incident.anomalies.isEmpty();
    }

    private static boolean coversAll(PlannedWindow window, IncidentState incident) {
        for (AnomalyEntry entry : incident.anomalies) {
            if (!window.items.contains(entry.item)) {
                return false;
            }
        }
        return !incident.anomalies.isEmpty();
    }

    /** Whether the planned window covers at least one of the incident's signals. */
    private static boolean covers(PlannedWindow window, IncidentState incident) {
        for (AnomalyEntry entry : incident.anomalies) {
            if (window.items.contains(entry.item)) {
                return true;
            }
        }
        return false;
    }

    /** The next start or end after {@code time} of a window matching any of the incident's signals, or MAX_VALUE. */
    private long nextBoundary(CorrelationState state, IncidentState incident, long time) {
        long next = Long.MAX_VALUE;
        if (!config.maintenance.isEmpty()) {
            for (MaintenanceWindow window : config.maintenance) {
                for (AnomalyEntry entry : incident.anomalies) {
                    if (entry.windows != null && entry.windows.contains(window.id())) {
                        next = Math.min(next, window.schedule().nextBoundaryAfter(time));
                        break;
                    }
                }
            }
        }
        if (state.plannedWindows != null) {
            for (PlannedWindow window : state.plannedWindows) {
                if (covers(window, incident)) {
                    next = Math.min(next, window.nextBoundaryAfter(time));
                }
            }
        }
        return next;
    }

    private Incident build(IncidentState incident, IncidentChange change, CorrelationState state, Topology topology) {
        return build(incident, change, state, topology,
                ranker.ranking(incident.anomalies, state.recentChanges, topology));
    }

    /** The incident's version, its hints from {@code ranking} (of the incident as it is now). */
    private Incident build(IncidentState incident, IncidentChange change, CorrelationState state, Topology topology,
            RootCauseRanker.Ranking ranking) {
        List<RootCauseHint> hints = ranking.hints();
        incident.lastTopCause = hints.isEmpty() ? null : hints.get(0).getItem();
        Set<String> items = items(incident);

        List<AnomalyEntry> byOnset = new ArrayList<>(incident.anomalies);
        byOnset.sort(Comparator.comparingLong((AnomalyEntry a) -> a.onset).thenComparing(a -> a.id));
        List<AnomalyRef> refs = new ArrayList<>();
        List<AlertRef> alerts = new ArrayList<>();
        int anomalyCount = 0;
        int alertCount = 0;
        for (AnomalyEntry entry : byOnset) {
            if (entry.alert()) {
                alertCount++;
                if (alerts.size() < config.maxAnomalyRefs) {
                    alerts.add(AlertRef.newBuilder().setId(entry.id).setSource(entry.alertSource)
                            .setFingerprint(entry.alertFingerprint).setName(entry.metric).setService(entry.item)
                            .setSeverity(entry.alertSeverity).setFiring(entry.ongoing())
                            .setStartsAt(Instant.ofEpochMilli(entry.onset))
                            .setEndsAt(entry.ongoing() ? null : Instant.ofEpochMilli(entry.end)).build());
                }
                continue;
            }
            anomalyCount++;
            if (refs.size() < config.maxAnomalyRefs) {
                refs.add(AnomalyRef.newBuilder().setId(entry.id).setService(entry.item).setMetric(entry.metric)
                        .setOnset(Instant.ofEpochMilli(entry.onset)).setScore(entry.score)
                        .setDirection(entry.up ? Direction.UP : Direction.DOWN).build());
            }
        }

        List<ChangeRef> changes = new ArrayList<>();
        for (String item : items) {
            long itemOnset = earliestOnset(byOnset, item, incident.openedAt);
            for (ChangeEvent c : ranker.suspectChanges(item, itemOnset, state.recentChanges)) {
                changes.add(ChangeRef.newBuilder().setId(c.getId()).setItem(c.getConfigurationItem())
                        .setTime(c.getTime()).setSummary(c.getSummary()).setChangeRequest(c.getChangeRequest())
                        .build());
            }
        }
        changes.sort(Comparator.comparing(ChangeRef::getTime).reversed().thenComparing(ChangeRef::getId));

        long updatedAt = switch (change) {
            case RESOLVED -> incident.resolvedAt;
            case ACKNOWLEDGED, ASSIGNED, CLOSED -> incident.feedbackAt;
            case REOPENED -> incident.heldOpen ? incident.feedbackAt : incident.lastSeen;
            case SUPPRESSED, RELEASED -> incident.maintenanceAt;
            default -> incident.lastSeen;
        };
        return Incident.newBuilder()
                .setId(incident.id)
                .setVersion(incident.version)
                .setStatus(incident.resolved ? IncidentStatus.RESOLVED : IncidentStatus.OPEN)
                .setChange(change)
                .setEnvironment(incident.environment)
                .setTitle(title(incident, hints, items) + (incident.flapping ? " (flapping)" : ""))
                .setPriority(priority(items, incident.peakScore, topology))
                .setPeakScore(incident.peakScore)
                .setOpenedAt(Instant.ofEpochMilli(incident.openedAt))
                .setUpdatedAt(Instant.ofEpochMilli(Math.max(updatedAt, incident.openedAt)))
                .setLastSeen(Instant.ofEpochMilli(incident.lastSeen))
                .setResolvedAt(incident.resolved ? Instant.ofEpochMilli(incident.resolvedAt) : null)
                .setServices(new ArrayList<>(items))
                .setAnomalyCount(anomalyCount)
                .setAnomalyUpdates(incident.anomalyUpdates)
                .setAnomalies(refs)
                .setRootCauses(hints)
                .setSuspectChanges(changes)
                .setMergedInto(null)
                .setFlapping(incident.flapping)
                .setFingerprint(incident.fingerprint)
                .setGroupKey(config.grouping.isEmpty() ? null : groupKey(incident))
                .setDetectedAt(incident.detectedAt < 0 ? null : Instant.ofEpochMilli(incident.detectedAt))
                .setAcknowledgedAt(incident.acknowledgedAt < 0 ? null : Instant.ofEpochMilli(incident.acknowledgedAt))
                .setAssignee(incident.assignee)
                .setTicket(incident.ticket)
                .setResolvedBy(!incident.resolved ? null
                        : incident.resolvedByHuman ? ResolutionSource.HUMAN : ResolutionSource.SIFT)
                .setAlertCount(alertCount)
                .setAlerts(alerts)
                .setSuppressedBy(incident.suppressedBy)
                .build();
    }

    private static String title(IncidentState incident, List<RootCauseHint> hints, Set<String> items) {
        String top = hints.isEmpty() ? incident.anomalies.get(0).item : hints.get(0).getItem();
        AnomalyEntry strongest = null;
        for (AnomalyEntry entry : incident.anomalies) {
            if (entry.item.equals(top) && (strongest == null || entry.score > strongest.score)) {
                strongest = entry;
            }
        }
        String what = strongest == null ? "anomalous"
                : strongest.alert() ? "alert " + strongest.metric
                : strongest.metric + (strongest.up ? " up" : " down");
        int others = items.size() - 1;
        return top + ": " + what
                + (others <= 0 ? "" : "; " + others + " related item" + (others == 1 ? "" : "s") + " affected");
    }

    /** The earliest onset among the item's anomalies, or {@code otherwise} (a loop: once per item per version). */
    private static long earliestOnset(List<AnomalyEntry> anomalies, String item, long otherwise) {
        long earliest = Long.MAX_VALUE;
        boolean any = false;
        for (AnomalyEntry a : anomalies) {
            if (a.item.equals(item)) {
                earliest = Math.min(earliest, a.onset);
                any = true;
            }
        }
        return any ? earliest : otherwise;
    }

    /** ITIL priority: impact (criticality and breadth) × urgency (peak score). */
    static Priority priority(Set<String> items, double peakScore, Topology topology) {
        Criticality highest = Criticality.LOW;
        for (String item : items) {
            Criticality c = topology.criticalityOf(item);
            if (c.ordinal() > highest.ordinal()) {
                highest = c;
            }
        }
        int impact = switch (highest) {
            case CRITICAL -> 1;
            case HIGH -> items.size() >= 3 ? 1 : 2;
            case MEDIUM -> items.size() >= 5 ? 2 : 3;
            case LOW -> 3;
        };
        int urgency = peakScore >= 90 ? 1 : peakScore >= 70 ? 2 : 3;
        return Priority.values()[Math.min(4, impact + urgency - 2)];
    }
}
