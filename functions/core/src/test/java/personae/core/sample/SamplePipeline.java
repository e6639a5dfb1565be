package personae.core.sample;

import personae.core.ingest.DatasetManifest;
import personae.core.persona.FeatureTable;
import personae.core.trait.TraitEnricher;
import personae.core.trait.TraitFiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.stream.IntStream;

/** The domain pipeline after ingestion, in memory: trait enrichment, then every person's clustering features. */
final class SamplePipeline {

    private SamplePipeline() {}

    /** {@code files}: what the ingestor wrote, by name. */
    static FeatureTable features(DatasetManifest manifest, Map<String, ByteArrayOutputStream> files) throws IOException {
        ByteArrayOutputStream traits = new ByteArrayOutputStream();
        TraitEnricher.TraitColumns columns = TraitEnricher.enrich(manifest,
                stream -> new ByteArrayInputStream(files.get("streams/" + stream + ".csv").toByteArray()),
                new ByteArrayInputStream(files.get("first_party_traits.csv").toByteArray()), traits);
        return TraitFiles.features(new ByteArrayInputStream(traits.toByteArray()), columns.features(),
                IntStream.range(0, manifest.people()).toArray());
    }
}
