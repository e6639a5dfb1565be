package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Problem;
import personae.core.cohort.Members;
import personae.core.people.AccountPeople;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaClustering;
import personae.core.persona.PersonaModel;
import personae.core.persona.PersonaNamer;
import personae.core.persona.PersonaProfiles;
import personae.core.persona.ProductSpend;
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
    /** In {@code details.center}: the persona's profile ({@link PersonaProfiles}). */
    public static final String PROFILE = "profile";
    /** Distinctive traits shown per persona. */
    static final int SHOWN_DISTINCTIVE = 3;
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
        AccountPeople people = ctx.accountPeople(r.account());
        // the members' own datasets' traits, then those of the datasets their records link to: by default only the
        // first-party traits (not another stream's behaviour: a persona set describes its cohort's) of a dataset that
        // holds at least half of the members (imputing the rest would make the imputed a persona); modeling_fields may
        // name any of them
        LinkedHashSet<Feature> features = new LinkedHashSet<>();
        LinkedHashSet<Feature> usual = new LinkedHashSet<>();
        for (String ds : byDataset.keySet()) features.addAll(ctx.traitColumns(r.account(), ds).features());
        usual.addAll(features);
        long[] held = people.recordsPerDataset(people.persons(members));
        for (int d = 0; d < people.datasets().size(); d++) {
            String ds = people.datasets().get(d);
            if (held[d] == 0 || byDataset.containsKey(ds)) continue;
            List<Feature> linked = ctx.traitColumns(r.account(), ds).features();
            features.addAll(linked);
            if (2 * held[d] >= members.size()) {
                linked.stream().filter(f -> f.kind() == Feature.Kind.USER_DEFINED || f.kind() == Feature.Kind.CATEGORY)
                        .forEach(usual::add);
            }
        }
        List<Feature> featureList = spec.modelingFields().isEmpty() ? List.copyOf(usual)
                : chosen(List.copyOf(features), spec.modelingFields());
        if (featureList.isEmpty()) throw Problem.invalid("the cohort's datasets have no traits to cluster on");
        String stream = ctx.resources.require(r.account(), ResourceType.COHORTS, spec.cohortId()).doc()
                .path("stream_name").asText();
        List<Feature> streamFeatures = features.stream().filter(f -> f.label().equals(stream) && switch (f.kind()) {
            case FREQUENCY, TOTAL_VALUE, AVERAGE_VALUE, TENURE_DAYS -> true;
            default -> false;
        }).toList();
        // one read of each dataset's traits for the clustering and the profiles' traits
        LinkedHashSet<Feature> read = new LinkedHashSet<>(featureList);
        read.addAll(streamFeatures);
        List<Feature> readList = List.copyOf(read);
        FeatureTable both = ctx.readFeatures(r.account(), people, byDataset, readList);
        FeatureTable table = both.select(featureList);
        PersonaModel model;
        try {
            model = PersonaClustering.fit(table, spec.numberOfClusters(), CLUSTERING_SEED);
        } catch (IllegalArgumentException e) { // too few people for the number of personas asked, ...
            throw Problem.invalid(e.getMessage());
        }
        ctx.writeJson(Keys.personaModel(r.account(), r.id()), model);
        int[] persona = model.assignAll(table); // as a scope assigns them
        ctx.writeJson(Keys.personaProfiles(r.account(), r.id()),
                profiles(r.account(), stream, model, table, both.select(streamFeatures), persona, byDataset));
        new PersonaSetAnalysis(ctx).write(r.account(), r.id(), model, table, persona, byDataset, people);
    }

    /** The stored form of the personas' profiles (Jackson does not read a bare generic list). */
    record StoredProfiles(List<PersonaProfiles.Profile> personas) {}

    /**
     * The personas' profiles: the figures read from the cohort's stream's traits (whether or not they are clustering
     * traits) and its events' products, one dataset at a time.
     *
     * @param streamTable the members' traits of {@code stream}, in {@code table}'s row order
     * @param persona     each row's persona
     */
    private StoredProfiles profiles(String account, String stream, PersonaModel model, FeatureTable table,
                                    FeatureTable streamTable, int[] persona, Map<String, int[]> byDataset) {
        ProductSpend products = new ProductSpend(model.k());
        int offset = 0;
        for (var e : byDataset.entrySet()) {
            int[] people = e.getValue();
            int[] personaOfPerson = new int[people.length == 0 ? 0 : people[people.length - 1] + 1];
            java.util.Arrays.fill(personaOfPerson, -1);
            for (int i = 0; i < people.length; i++) personaOfPerson[people[i]] = persona[offset + i];
            offset += people.length;
            ctx.readEvents(account, e.getKey(), stream).ifPresent(in -> {
                try (in) {
                    products.add(in, personaOfPerson);
                } catch (java.io.IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            });
        }
        return new StoredProfiles(PersonaProfiles.of(model, table, streamTable,
                PersonaProfiles.StreamColumns.of(streamTable, stream), persona, products));
    }

    /**
     * The traits {@code modeling_fields} names, in its order (a category trait by its name brings each of its value
     * features); all of them when it is empty.
     */
    private static List<Feature> chosen(List<Feature> available, List<String> asked) {
        if (asked.isEmpty()) return available;
        List<Feature> out = new java.util.ArrayList<>();
        List<String> unknown = new java.util.ArrayList<>();
        for (String name : asked) {
            List<Feature> named = available.stream().filter(f -> f.name().equals(name)
                    || f.trait().equals(name)).toList();
            if (named.isEmpty()) unknown.add(name);
            named.forEach(f -> { if (!out.contains(f)) out.add(f); });
        }
        if (!unknown.isEmpty()) {
            throw Problem.invalid("modeling_fields names " + unknown.stream().map(n -> "'" + personae.core.Limits
                    .excerpt(n) + "'").toList() + ", which the cohort's people do not have; their traits are "
                    + available.stream().map(Feature::trait)
                    .distinct().toList());
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
        List<PersonaProfiles.Profile> profiles =
                ctx.readJson(Keys.personaProfiles(r.account(), r.id()), StoredProfiles.class).personas();
        List<String> names = PersonaNamer.names(model, profiles.stream().map(PersonaProfiles.Profile::distinctiveTraits).toList());
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
                center.set(PROFILE, profileNode(model, i, profiles.get(i)));
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

    /**
     * A persona's profile as shown in {@code details.center.}{@value #PROFILE}: inside {@code details.center} because
     * Faraday's client passes {@code center} through whole and drops fields it does not know elsewhere.
     */
    private static ObjectNode profileNode(PersonaModel model, int i, PersonaProfiles.Profile profile) {
        ObjectNode node = personae.core.resource.Json.MAPPER.createObjectNode();
        node.put("share_of_cohort", round(profile.shareOfCohort(), 4));
        putRounded(node, "revenue_share", profile.revenueShare(), 4);
        putRounded(node, "orders_per_person", profile.ordersPerPerson(), 3);
        putRounded(node, "average_order_value", profile.averageOrderValue(), 2);
        putRounded(node, "returned_share_of_spend", profile.returnedShareOfSpend(), 4);
        ArrayNode products = node.putArray("top_products");
        for (PersonaProfiles.ProductShare ps : profile.topProducts()) {
            products.addObject().put("product", ps.product()).put("share_of_spend", round(ps.share(), 4));
        }
        node.put("spend_basis", profile.spendBasis());
        ArrayNode traits = node.putArray("distinctive_traits");
        for (PersonaProfiles.Distinctive d : profile.distinctiveTraits().subList(0,
                Math.min(SHOWN_DISTINCTIVE, profile.distinctiveTraits().size()))) {
            traits.addObject().put("trait", d.trait()).put("name", d.name())
                    .put("persona", round(d.persona(), 3)).put("cohort", round(d.cohort(), 3))
                    .put("direction", d.higher() ? "higher" : "lower").put("says", d.says());
        }
        return node;
    }

    private static void putRounded(ObjectNode node, String field, Double v, int digits) {
        if (v == null || !Double.isFinite(v)) node.putNull(field);
        else node.put(field, round(v, digits));
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    /** A persona's id: stable for a persona set and persona index, so rebuilds keep ids. */
    public static String personaId(String personaSetId, int index) {
        return UUID.nameUUIDFromBytes((personaSetId + "/persona/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
