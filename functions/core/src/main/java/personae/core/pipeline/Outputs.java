package personae.core.pipeline;

import personae.core.Services;
import personae.core.cohort.Members;
import personae.core.ingest.DatasetManifest;
import personae.core.resource.Resources.Stored;
import personae.core.trait.TraitEnricher;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** What the API reads of the builds' outputs (read only): a dataset's current files, a cohort's members. */
public final class Outputs {

    private final BuildContext ctx;

    public Outputs(Services services) {
        this.ctx = new BuildContext(services);
    }

    /** The account's people, linked across its datasets now (as a cohort, persona set or scope build links them). */
    public personae.core.people.AccountPeople accountPeople(String account) {
        return ctx.accountPeople(account);
    }

    /** Whether the dataset has a built output (its first build finished). */
    public boolean hasOutput(Stored dataset) {
        return dataset.internal().hasNonNull(DatasetBuild.OUTPUT);
    }

    public DatasetManifest manifest(String account, String datasetId) {
        return ctx.readJson(ctx.datasetFolder(account, datasetId) + Keys.MANIFEST, DatasetManifest.class);
    }

    public TraitEnricher.TraitColumns traitColumns(String account, String datasetId) {
        return ctx.traitColumns(account, datasetId);
    }

    /** The dataset's traits.csv. */
    public InputStream openTraits(String account, String datasetId) {
        return ctx.blobs.open(ctx.datasetFolder(account, datasetId) + Keys.TRAITS);
    }

    /** Which builds of the account's reference tables there are: changes when one is built, added or deleted. */
    public String referenceTablesVersion(String account) {
        StringBuilder b = new StringBuilder();
        for (Stored t : ctx.builtReferenceTables(account)) {
            b.append(t.id()).append('@').append(t.internal().path(DatasetBuild.OUTPUT).asText()).append(';');
        }
        return b.toString();
    }

    /** The account's built reference tables, as their last builds wrote them. */
    public List<personae.core.ingest.ReferenceTable> referenceTables(String account) {
        return ctx.referenceTables(account);
    }

    public Members members(String account, String cohortId) {
        return ctx.readMembers(account, cohortId);
    }

    /** A stored JSON file of a persona set, when it exists. */
    public <T> Optional<T> personaSetFile(String key, Class<T> type) {
        if (ctx.blobs.head(key).isEmpty()) return Optional.empty();
        return Optional.of(ctx.readJson(key, type));
    }
}
