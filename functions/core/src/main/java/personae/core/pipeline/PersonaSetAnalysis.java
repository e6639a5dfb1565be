package personae.core.pipeline;

import personae.core.analysis.Dimensions;
import personae.core.analysis.PersonaFlow;
import personae.core.analysis.TraitTable;
import personae.core.ingest.DatasetManifest;
import personae.core.persona.Feature;
import personae.core.persona.FeatureTable;
import personae.core.people.AccountPeople;
import personae.core.persona.PersonaModel;
import personae.core.trait.TraitEnricher.TraitColumns;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A persona set's analysis, written by ClusterPersonas beside model.json: every trait's bins for the cohort and each
 * persona ({@code analysis_dimensions.json}) and each persona's daily membership ({@code analysis_flow.json}). Personas
 * are the model's indexes; the API maps them to the ids the naming step gave.
 */
public final class PersonaSetAnalysis {

    /** The stored flow: the first date, then per persona its count on each day from it. */
    public record StoredFlow(String firstDate, List<long[]> counts) {}

    private final BuildContext ctx;

    PersonaSetAnalysis(BuildContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param table     the members' clustering features, dataset after dataset as {@code byDataset} lists them
     * @param persona   each row's persona, as the model assigns it
     * @param byDataset the cohort's members per dataset
     * @param people    the account's people, to read the members' traits from their other datasets too
     */
    void write(String account, String personaSetId, PersonaModel model, FeatureTable table, int[] persona,
               Map<String, int[]> byDataset, AccountPeople people) {
        writeDimensions(account, personaSetId, model, persona, byDataset, people);
        writeFlow(account, personaSetId, model, table, byDataset);
    }

    void writeDimensions(String account, String personaSetId, PersonaModel model, int[] persona,
                         Map<String, int[]> byDataset, AccountPeople people) {
        // dimensions: every trait the members' datasets and the datasets linked to them have, clustering traits
        // first; a member's values from their own record, then their records elsewhere (people/AccountPeople)
        java.util.TreeSet<String> datasets = new java.util.TreeSet<>(byDataset.keySet());
        Map<String, long[]> elsewhere = new java.util.TreeMap<>(); // per other dataset, the members' records there
        for (String ds : people.datasets()) {
            long[] pairs = people.rowsIn(byDataset, ds, false);
            if (pairs.length == 0) continue;
            elsewhere.put(ds, pairs);
            datasets.add(ds);
        }
        LinkedHashSet<String> numbers = new LinkedHashSet<>(), texts = new LinkedHashSet<>();
        for (String ds : datasets) {
            TraitColumns columns = ctx.traitColumns(account, ds);
            numbers.addAll(TraitTable.numberTraits(columns));
            texts.addAll(TraitTable.textTraits(columns));
        }
        TraitTable traits = new TraitTable(List.copyOf(numbers), List.copyOf(texts));
        for (var e : byDataset.entrySet()) {
            try (InputStream in = ctx.blobs.open(ctx.datasetFolder(account, e.getKey()) + Keys.TRAITS)) {
                traits.append(in, e.getValue());
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        for (var e : elsewhere.entrySet()) {
            try (InputStream in = ctx.blobs.open(ctx.datasetFolder(account, e.getKey()) + Keys.TRAITS)) {
                traits.fill(in, e.getValue());
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        List<String> leading = model.features().stream().map(Feature::trait).distinct().toList();
        ctx.writeJson(Keys.personaDimensions(account, personaSetId), Dimensions.of(traits, persona, model.k(), leading));
    }

    void writeFlow(String account, String personaSetId, PersonaModel model, FeatureTable table,
                   Map<String, int[]> byDataset) {

        // flow: every member's history replayed with the model
        long firstDay = Long.MAX_VALUE, lastDay = Long.MIN_VALUE;
        List<DatasetManifest> manifests = new ArrayList<>();
        for (String ds : byDataset.keySet()) {
            DatasetManifest m = ctx.readJson(ctx.datasetFolder(account, ds) + Keys.MANIFEST, DatasetManifest.class);
            manifests.add(m);
            for (DatasetManifest.StreamInfo s : m.streams().values()) {
                if (s.minTime() == Long.MIN_VALUE) continue;
                firstDay = Math.min(firstDay, Math.floorDiv(s.minTime(), 86_400L));
                lastDay = Math.max(lastDay, Math.floorDiv(s.maxTime(), 86_400L));
            }
        }
        PersonaFlow.Counts counts = new PersonaFlow.Counts(model.k(), firstDay == Long.MAX_VALUE ? 0 : firstDay,
                lastDay == Long.MIN_VALUE ? -1 : lastDay);
        int offset = 0, i = 0;
        for (var e : byDataset.entrySet()) {
            int[] people = e.getValue();
            FeatureTable part = slice(table, offset, people.length);
            offset += people.length;
            String folder = ctx.datasetFolder(account, e.getKey());
            PersonaFlow.replay(model, manifests.get(i++), people, part,
                    stream -> ctx.blobs.open(folder + Keys.streamEvents(stream)), counts);
        }
        List<long[]> perPersona = counts.days().stream()
                .map(days -> days.stream().mapToLong(PersonaFlow.Day::count).toArray()).toList();
        ctx.writeJson(Keys.personaFlow(account, personaSetId), new StoredFlow(
                java.time.LocalDate.ofEpochDay(counts.firstEpochDay()).toString(), perPersona));
    }

    private static FeatureTable slice(FeatureTable t, int from, int n) {
        if (from == 0 && n == t.rows()) return t;
        double[][] cols = new double[t.features().size()][];
        for (int f = 0; f < cols.length; f++) cols[f] = java.util.Arrays.copyOfRange(t.columns()[f], from, from + n);
        return new FeatureTable(t.features(), cols, n);
    }
}
