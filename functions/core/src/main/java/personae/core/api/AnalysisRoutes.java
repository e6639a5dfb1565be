package personae.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import personae.core.Problem;
import personae.core.Services;
import personae.core.analysis.Bins;
import personae.core.analysis.CohortMembership;
import personae.core.analysis.Dimensions;
import personae.core.analysis.PersonaFlow;
import personae.core.analysis.TraitTable;
import personae.core.api.Router.Call;
import personae.core.ingest.DatasetManifest;
import personae.core.pipeline.Keys;
import personae.core.pipeline.Outputs;
import personae.core.pipeline.PersonaSetAnalysis;
import personae.core.resource.Json;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources;
import personae.core.resource.Resources.Stored;
import personae.core.resource.Status;
import personae.core.trait.TraitRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The analysis endpoints (persona set dimensions and flow, cohort membership) and the traits endpoints, in the
 * reference's shapes: every array the client reads without a check ({@code bins}, {@code days}, {@code weeks},
 * {@code months}) is always present.
 */
final class AnalysisRoutes {

    private final Resources resources;
    private final Outputs outputs;
    private final TraitRegistry traits;

    AnalysisRoutes(Services services) {
        this.resources = services.resources();
        this.outputs = new Outputs(services);
        this.traits = new TraitRegistry(services);
    }

    void addTo(Router router) {
        router.add("GET", "/v1/persona_sets/{id}/analysis/dimensions", this::dimensions)
                .add("GET", "/v1/persona_sets/{id}/analysis/flow", this::flow)
                .add("GET", "/v1/cohorts/{id}/analysis/membership", this::membership)
                .add("GET", "/v1/traits", c -> PersonaeApi.ok(traits.list(c.account())))
                .add("POST", "/v1/traits", this::createTrait)
                .add("DELETE", "/v1/traits", c -> {
                    traits.deleteOrphans(c.account());
                    return ApiResponse.empty(204);
                })
                .add("GET", "/v1/traits/{id}", c -> PersonaeApi.ok(traits.get(c.account(), c.param("id"))))
                .add("PATCH", "/v1/traits/{id}", this::patchTrait)
                .add("DELETE", "/v1/traits/{id}", c -> {
                    traits.delete(c.account(), c.param("id"));
                    return ApiResponse.empty(204);
                })
                .add("GET", "/v1/traits/{id}/analysis/dimensions", c ->
                        PersonaeApi.ok(traitBins(traits.dimensions(c.account(), c.param("id")), null)));
    }

    // ------------------------------------------------------------------ persona sets

    /** A ready persona set and its personas, or a conflict saying why its analysis is not there. */
    private Stored readySet(Call c) {
        Stored set = resources.require(c.account(), ResourceType.PERSONA_SETS, c.param("id"));
        requireReady(set);
        return set;
    }

    private static void requireReady(Stored s) {
        if (s.status() == Status.READY) return;
        String what = s.type().noun() + " '" + s.name() + "' (" + s.id() + ")";
        if (s.status() == Status.ERROR) {
            throw Problem.conflict("The " + what + " failed to build (" + Json.text(s.doc(), "status_error")
                    + "), so it has no analysis; fix it and PATCH it to rebuild");
        }
        throw Problem.conflict("The " + what + " is still building (status " + s.status().wire()
                + "); its analysis is there once its status is ready");
    }

    private List<String> personaIds(Stored set, int k) {
        List<String> ids = new ArrayList<>();
        set.doc().path("personas").forEach(p -> ids.add(p.path("id").asText()));
        if (ids.size() != k) {
            throw Problem.conflict("The persona set '" + set.name() + "' (" + set.id() + ") has " + ids.size()
                    + " personas but its analysis has " + k + "; PATCH it to rebuild");
        }
        return ids;
    }

    private ApiResponse dimensions(Call c) {
        Stored set = readySet(c);
        Dimensions.GroupDimensions d = outputs.personaSetFile(Keys.personaDimensions(c.account(), set.id()),
                Dimensions.GroupDimensions.class).orElseThrow(() -> notAnalysed(set));
        List<String> ids = personaIds(set, d.personas().size());
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int p = 0; p < ids.size(); p++) {
            ObjectNode o = out.addObject();
            o.put("persona_id", ids.get(p));
            ArrayNode list = o.putArray("traits");
            for (int t = 0; t < d.personas().get(p).size(); t++) {
                list.add(traitBins(d.personas().get(p).get(t), d.cohort().get(t)));
            }
        }
        return PersonaeApi.ok(out);
    }

    private static Problem notAnalysed(Stored set) {
        return Problem.conflict("The persona set '" + set.name() + "' (" + set.id() + ") was built before Personae"
                + " kept analyses; PATCH it (for example its name) to rebuild");
    }

    /** {@code AnalysisDimensionsTrait}; with {@code cohort}, the same bins over the whole cohort as {@code cohort_bins}. */
    static ObjectNode traitBins(Bins.TraitBins t, Bins.TraitBins cohort) {
        ObjectNode o = Json.object();
        o.put("trait_name", t.traitName());
        o.set("bins", bins(t.bins()));
        if (cohort != null) o.set("cohort_bins", bins(cohort.bins()));
        return o;
    }

    private static ArrayNode bins(List<Bins.Bin> bins) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Bins.Bin b : bins) {
            ObjectNode o = a.addObject();
            o.put("data_type", b.dataType());
            if (b.dataType().equals("number")) {
                o.put("min", b.min());
                if (b.max() != null) o.put("max", b.max());
            } else {
                o.put("value", b.value());
            }
            o.put("count", b.count());
            o.put("percent", b.percent());
        }
        return a;
    }

    private ApiResponse flow(Call c) {
        Stored set = readySet(c);
        PersonaSetAnalysis.StoredFlow f = outputs.personaSetFile(Keys.personaFlow(c.account(), set.id()),
                PersonaSetAnalysis.StoredFlow.class).orElseThrow(() -> notAnalysed(set));
        List<String> ids = personaIds(set, f.counts().size());
        LocalDate first = LocalDate.parse(f.firstDate());
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int p = 0; p < ids.size(); p++) {
            ObjectNode o = out.addObject();
            o.put("persona_id", ids.get(p));
            ArrayNode days = o.putArray("days");
            long[] counts = f.counts().get(p);
            for (int i = 0; i < counts.length; i++) {
                days.addObject().put("date", first.plusDays(i).toString()).put("count", counts[i]);
            }
        }
        return PersonaeApi.ok(out);
    }

    // ------------------------------------------------------------------ cohorts

    /**
     * Each member's first event in the cohort's stream, from their traits (the dataset's latest event minus recency
     * and tenure), then {@link CohortMembership}.
     */
    private ApiResponse membership(Call c) {
        Stored cohort = resources.require(c.account(), ResourceType.COHORTS, c.param("id"));
        requireReady(cohort);
        String stream = cohort.doc().path("stream_name").asText();
        List<Long> joins = new ArrayList<>();
        long firstDay = Long.MAX_VALUE, lastDay = Long.MIN_VALUE;
        for (Map.Entry<String, int[]> e : outputs.members(c.account(), cohort.id()).byDataset().entrySet()) {
            DatasetManifest m = outputs.manifest(c.account(), e.getKey());
            DatasetManifest.StreamInfo info = m.streams().get(stream);
            if (info == null || info.minTime() == Long.MIN_VALUE) continue;
            firstDay = Math.min(firstDay, Math.floorDiv(info.minTime(), 86_400L));
            lastDay = Math.max(lastDay, Math.floorDiv(info.maxTime(), 86_400L));
            long reference = m.streams().values().stream().mapToLong(DatasetManifest.StreamInfo::maxTime).max().orElseThrow();
            String recency = stream + "_recency_days", tenure = stream + "_tenure_days";
            TraitTable t = new TraitTable(List.of(recency, tenure), List.of());
            try (InputStream in = outputs.openTraits(c.account(), e.getKey())) {
                t.append(in, e.getValue());
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            double[] r = t.numbers().get(recency), ten = t.numbers().get(tenure);
            for (int i = 0; i < t.rows(); i++) {
                if (Double.isNaN(r[i]) || Double.isNaN(ten[i])) continue;
                long first = Math.round(reference - (r[i] + ten[i]) * 86_400.0);
                joins.add(Math.floorDiv(first, 86_400L));
            }
        }
        CohortMembership.Membership mm = CohortMembership.of(joins.stream().mapToLong(Long::longValue).toArray(),
                firstDay == Long.MAX_VALUE ? 0 : firstDay, lastDay == Long.MIN_VALUE ? -1 : lastDay);
        ObjectNode out = Json.object();
        out.set("days", days(mm.days()));
        out.set("weeks", days(mm.weeks()));
        out.set("months", days(mm.months()));
        return PersonaeApi.ok(out);
    }

    private static ArrayNode days(List<PersonaFlow.Day> days) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (PersonaFlow.Day d : days) a.addObject().put("date", d.date()).put("count", d.count());
        return a;
    }

    // ------------------------------------------------------------------ traits

    private static final java.util.Set<String> STATISTICAL_TYPES = java.util.Set.of("categorical", "multicategorical", "ordinal", "nominal");

    private ApiResponse createTrait(Call c) throws IOException {
        ObjectNode body = JsonBodies.readObject(c.request().body());
        Validation v = new Validation();
        List<String> fields = new ArrayList<>(TraitRegistry.WRITABLE);
        fields.add("name");
        v.onlyFields(body, "", fields);
        String name = v.string(body, "name", "", true);
        if (name != null && name.startsWith("fig/")) v.fail("/name", "names starting with fig/ are Faraday's own traits", "pattern");
        writable(body, v);
        v.throwIfFailed();
        return ApiResponse.json(201, Json.write(traits.create(c.account(), body)));
    }

    private ApiResponse patchTrait(Call c) throws IOException {
        ObjectNode patch = JsonBodies.readObject(c.request().body());
        Validation v = new Validation();
        v.onlyFields(patch, "", TraitRegistry.WRITABLE);
        writable(patch, v);
        v.throwIfFailed();
        return PersonaeApi.ok(traits.patch(c.account(), c.param("id"), patch));
    }

    private static void writable(ObjectNode body, Validation v) {
        for (String f : List.of("literate", "description", "unit")) {
            if (body.hasNonNull(f)) v.string(body, f, "", false);
        }
        if (body.hasNonNull("statistical_type")) v.enumString(body, "statistical_type", "", false, STATISTICAL_TYPES);
        JsonNode lookup = body.get("lookup_table");
        if (lookup != null && !lookup.isNull() && !lookup.isObject()) v.fail("/lookup_table", "must be an object", "type");
    }
}
