package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Problem;
import personae.core.cohort.Members;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;
import personae.core.persona.PersonaNamer;
import personae.core.persona.PersonaSetSpec;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A persona set's build: ClusterPersonas, then NamePersonas. */
public final class PersonaSetBuild {

    /** In a persona set's internal state: persona id to the name a user gave it. */
    public static final String RENAMED = "renamed_personas";
    /** Every persona set is fitted with this seed, so the same data gives the same personas. */
    public static final long CLUSTERING_SEED = 20_240_501L;
    /** On a persona set after a rebuild: which personas were kept, which are new, which vanished. */
    public static final String LAST_REBUILD = "last_rebuild";
    /**
     * On a persona set after a build: how its number of personas was decided ({@code given}, {@code silhouette} with
     * each candidate's mean silhouette on a sample, or {@code trivial}), so a user can see a weak structure.
     */
    public static final String CLUSTER_COUNT = "cluster_count";
    /** In a persona set's internal state: how many times it was named (new personas' ids derive from it). */
    private static final String GENERATION = "generation";

    private final BuildContext ctx;

    PersonaSetBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /** Clustering: the cohort members' traits -> k-means++ (k chosen from the data unless given) -> model.json. */
    void cluster(BuildRequest r) {
        Stored set = ctx.running(r);
        PersonaSetSpec spec = PersonaSetSpec.KIND.parse(set.doc());
        Members members = ctx.readMembers(r.account(), spec.cohortId());
        if (members.size() == 0) throw Problem.invalid("cohort " + spec.cohortId() + " has no members to cluster");
        Map<String, int[]> byDataset = members.byDataset();
        LinkedHashSet<Feature> features = new LinkedHashSet<>();
        for (String ds : byDataset.keySet()) features.addAll(ctx.traitColumns(r.account(), ds).features());
        List<Feature> featureList = chosen(List.copyOf(features), spec.modelingFields());
        if (featureList.isEmpty()) throw Problem.invalid("the cohort's datasets have no traits to cluster on");
        FeatureTable table = FeatureTable.concat(featureList, byDataset.entrySet().stream()
                .map(e -> ctx.readFeatures(r.account(), e.getKey(), featureList, e.getValue())).toList());
        PersonaModel model;
        try {
            model = PersonaClustering.fit(table, spec.numberOfClusters(), CLUSTERING_SEED);
        } catch (IllegalArgumentException e) { // too few people for the number of personas asked, ...
            throw Problem.invalid(e.getMessage());
        }
        ctx.writeJson(Keys.personaModel(r.account(), r.id()), model);
    }

    /** The traits {@code modeling_fields} names, in its order; all of them when it is empty. */
    private static List<Feature> chosen(List<Feature> available, List<String> asked) {
        if (asked.isEmpty()) return available;
        List<Feature> out = new java.util.ArrayList<>();
        List<String> unknown = new java.util.ArrayList<>();
        for (String name : asked) {
            available.stream().filter(f -> f.name().equals(name)).findFirst()
                    .ifPresentOrElse(f -> { if (!out.contains(f)) out.add(f); }, () -> unknown.add(name));
        }
        if (!unknown.isEmpty()) {
            throw Problem.invalid("modeling_fields names " + unknown.stream().map(n -> "'" + personae.core.Limits
                    .excerpt(n) + "'").toList() + ", which the cohort's people do not have; their traits are "
                    + available.stream().map(Feature::name).toList());
        }
        return out;
    }

    /**
     * Naming: each persona named from its most distinctive traits; personas written to the persona set. A rebuild
     * matches the new personas to the previous ones by their centres ({@link PersonaMatching}), not by rank: a
     * matched persona keeps its id and so its name (a user's rename too); a new group gets a new id; the personas
     * that vanished are reported in {@value #LAST_REBUILD}.
     */
    void name(BuildRequest r) {
        Stored before = ctx.running(r);
        PersonaModel model = ctx.readJson(Keys.personaModel(r.account(), r.id()), PersonaModel.class);
        List<String> names = PersonaNamer.names(model);
        int generation = before.internal().path(GENERATION).asInt(0);
        PersonaMatching.Match match = PersonaMatching.match(before.doc().path("personas"), model);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < model.k(); i++) {
            String previous = match.previousIdOf(i);
            ids.add(previous != null ? previous : generation == 0 ? personaId(r.id(), i)
                    : UUID.nameUUIDFromBytes((r.id() + "/persona/" + generation + "/" + i)
                    .getBytes(StandardCharsets.UTF_8)).toString());
        }
        String now = ctx.resources.now();
        ctx.resources.update(r.account(), ResourceType.PERSONA_SETS, r.id(), s -> {
            JsonNode renamed = s.internal().path(RENAMED); // names users gave (PATCH .../personas/{id}) survive rebuilds
            JsonNode old = s.doc().path("personas").deepCopy();
            ArrayNode personas = s.doc().putArray("personas");
            for (int i = 0; i < model.k(); i++) {
                ObjectNode p = personas.addObject();
                String id = ids.get(i);
                String kept = match.previousIdOf(i) == null ? null : match.previousNameOf(i);
                p.put("id", id);
                p.put("name", renamed.path(id).asText(kept != null ? kept : names.get(i)));
                p.put("individuals_count", model.memberCounts().get(i));
                ObjectNode center = p.putObject("details").putObject("center");
                model.centers().get(i).forEach((f, v) -> {
                    if (v == null || v.isNaN()) center.putNull(f);
                    else center.put(f, Math.round(v * 1000) / 1000.0);
                });
                ArrayNode salient = p.putArray("salient_traits");
                PersonaNamer.salientTraits(model, i, 3).forEach(salient::add);
            }
            if (generation > 0 || old.size() > 0) {
                ObjectNode changes = s.doc().putObject(LAST_REBUILD);
                changes.put("at", now);
                ArrayNode kept = changes.putArray("kept_persona_ids");
                ArrayNode added = changes.putArray("new_persona_ids");
                for (int i = 0; i < model.k(); i++) (match.previousIdOf(i) != null ? kept : added).add(ids.get(i));
                ArrayNode vanished = changes.putArray("vanished_personas");
                for (JsonNode o : old) {
                    if (!ids.contains(o.path("id").asText())) {
                        vanished.addObject().put("id", o.path("id").asText()).put("name", o.path("name").asText())
                                .put("individuals_count", o.path("individuals_count").asLong());
                    }
                }
            }
            ObjectNode why = s.doc().putObject(CLUSTER_COUNT);
            why.put("method", model.choice().method());
            why.put("number_of_personas", model.k());
            if (model.choice().sampleSize() > 0) why.put("sample_size", model.choice().sampleSize());
            ObjectNode scores = why.putObject("silhouette_by_k");
            model.choice().silhouetteByK().forEach((kk, v) -> scores.put(Integer.toString(kk), Math.round(v * 10_000) / 10_000.0));
            s.internal().put(GENERATION, generation + 1);
        });
    }

    /** A persona's id: stable for a persona set and persona index, so rebuilds keep ids. */
    public static String personaId(String personaSetId, int index) {
        return UUID.nameUUIDFromBytes((personaSetId + "/persona/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
