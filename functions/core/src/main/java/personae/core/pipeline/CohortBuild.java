package personae.core.pipeline;

import personae.core.Limits;
import personae.core.Problem;
import personae.core.cohort.CohortBuilder;
import personae.core.ingest.DatasetSpec;
import personae.core.cohort.CohortSpec;
import personae.core.cohort.TraitNames;
import personae.core.people.AccountPeople;
import personae.core.persona.Feature;
import personae.core.port.WorkflowStarter.BuildRequest;
import personae.core.resource.ResourceType;
import personae.core.resource.Resources.Stored;
import personae.core.trait.TraitEnricher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A cohort's build: BuildCohort. */
final class CohortBuild {

    private final BuildContext ctx;

    CohortBuild(BuildContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The cohort's members: the account's people (linked across datasets) with qualifying events in every ready
     * dataset that outputs to its stream, their traits read from any of their datasets.
     */
    void build(BuildRequest r) {
        Stored cohort = ctx.running(r);
        CohortBuilder.Rules rules = CohortSpec.KIND.parse(cohort.doc());
        List<CohortBuilder.Source> sources = new ArrayList<>();
        long members;
        // privacy "delete": a dataset's people are never modelled (DatasetSpec.isModelled)
        List<Stored> streamDatasets = ctx.graph.inputs(cohort).found().stream()
                .filter(ds -> ds.type() == ResourceType.DATASETS && DatasetSpec.isModelled(ds.doc())
                        && ds.internal().hasNonNull(DatasetBuild.OUTPUT)
                        && !personae.core.ingest.ReferenceTable.isReferenceTable(ds.doc())).toList();
        AccountPeople people = ctx.accountPeople(r.account());
        List<String> traits = rules.traitNames();
        // with trait conditions, every dataset of the account's people lends its traits
        List<Stored> traitDatasets = traits.isEmpty() ? List.of() : ctx.peopleDatasets(r.account());
        List<TraitEnricher.TraitColumns> columns = new ArrayList<>();
        for (Stored ds : traitDatasets) columns.add(ctx.traitColumns(r.account(), ds.id()));
        if (!traits.isEmpty()) requireTraits(rules, traitDatasets, columns);
        try {
            for (Stored ds : streamDatasets) {
                String folder = ctx.datasetFolder(r.account(), ds.id());
                sources.add(new CohortBuilder.Source(ds.id(), ctx.blobs.open(folder + Keys.streamEvents(rules.streamName()))));
            }
            for (int i = 0; i < traitDatasets.size(); i++) {
                Stored ds = traitDatasets.get(i);
                InputStream traitsCsv = ctx.blobs.open(ctx.datasetFolder(r.account(), ds.id()) + Keys.TRAITS);
                sources.add(new CohortBuilder.Source(ds.id(), null, traitsCsv, numeric(columns.get(i))));
            }
            try (OutputStream out = ctx.blobs.create(Keys.cohortMembers(r.account(), r.id()))) {
                members = CohortBuilder.build(rules, sources, people, ctx.services.clock().instant(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (CohortBuilder.Source s : sources) {
                if (s.events() != null) BuildContext.closeQuietly(s.events());
                if (s.traits() != null) BuildContext.closeQuietly(s.traits());
            }
        }
        ctx.resources.update(r.account(), ResourceType.COHORTS, r.id(), s -> {
            s.doc().put("population_count", members);
            s.doc().put("classic", false); // read-only: no cohort here is a managed (legacy) one
        });
    }

    /** The traits.csv columns that hold numbers: the features (number traits, category indicators), not text traits. */
    static Set<String> numeric(TraitEnricher.TraitColumns columns) {
        Set<String> out = new HashSet<>();
        for (Feature f : columns.features()) out.add(f.name());
        return out;
    }

    /** The traits the conditions name are traits (not category indicators) of at least one of the stream's datasets. */
    private static void requireTraits(CohortBuilder.Rules rules, List<Stored> datasets,
                                      List<TraitEnricher.TraitColumns> columns) {
        Set<String> have = new TreeSet<>();
        for (TraitEnricher.TraitColumns c : columns) have.addAll(TraitNames.traits(c));
        List<String> missing = rules.traitNames().stream().filter(t -> !have.contains(t)).toList();
        if (missing.isEmpty()) return;
        throw Problem.invalid("cohort traits names " + missing.stream().map(t -> "'" + Limits.excerpt(t) + "'")
                .collect(Collectors.joining(", ")) + ", which no dataset of the account's people has ("
                + datasets.stream().map(Stored::name).collect(Collectors.joining(", ")) + "; their traits: "
                + String.join(", ", have) + ")");
    }
}
