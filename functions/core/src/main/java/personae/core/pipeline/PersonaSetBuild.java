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
        List<Feature> featureList = List.copyOf(features);
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

    /** Naming: each persona named from its most distinctive traits; personas written to the persona set. */
    void name(BuildRequest r) {
        ctx.running(r);
        PersonaModel model = ctx.readJson(Keys.personaModel(r.account(), r.id()), PersonaModel.class);
        List<String> names = PersonaNamer.names(model);
        ctx.resources.update(r.account(), ResourceType.PERSONA_SETS, r.id(), s -> {
            JsonNode renamed = s.internal().path(RENAMED); // names users gave (PATCH .../personas/{id}) survive rebuilds
            ArrayNode personas = s.doc().putArray("personas");
            for (int i = 0; i < model.k(); i++) {
                ObjectNode p = personas.addObject();
                p.put("id", personaId(r.id(), i));
                p.put("name", renamed.path(personaId(r.id(), i)).asText(names.get(i)));
                p.put("individuals_count", model.memberCounts().get(i));
                ObjectNode center = p.putObject("details").putObject("center");
                model.centers().get(i).forEach((f, v) -> {
                    if (v == null || v.isNaN()) center.putNull(f);
                    else center.put(f, Math.round(v * 1000) / 1000.0);
                });
                ArrayNode salient = p.putArray("salient_traits");
                PersonaNamer.salientTraits(model, i, 3).forEach(salient::add);
            }
        });
    }

    /** A persona's id: stable for a persona set and persona index, so rebuilds keep ids. */
    public static String personaId(String personaSetId, int index) {
        return UUID.nameUUIDFromBytes((personaSetId + "/persona/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
