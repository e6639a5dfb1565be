package personae.core.ingest;

import java.util.List;
import java.util.Map;

/**
 * What ingestion wrote for one dataset (stored as {@code manifest.json} beside the data): the later steps read it
 * instead of rescanning files.
 *
 * @param people           identified people (person ids are 0..people-1, dataset-scoped)
 * @param identityColumns  the IdentitySet keys the dataset maps, in output order, then its reference key columns
 *                         (named as in the file): the columns of people.csv after person_id
 * @param streams          per stream name, what its events file holds
 * @param traits           the output_to_traits names (columns of first_party_traits.csv after person_id)
 * @param identityKeys     whether the build wrote identity_keys.csv (builds before it did link to nobody; read from
 *                         here, as a function may not be allowed to ask S3 whether a key exists)
 */
public record DatasetManifest(int people, List<String> identityColumns, Map<String, StreamInfo> streams,
                              List<String> traits, boolean identityKeys) {

    /** A manifest without identity keys. */
    public DatasetManifest(int people, List<String> identityColumns, Map<String, StreamInfo> streams, List<String> traits) {
        this(people, identityColumns, streams, traits, false);
    }

    /**
     * @param events        events written
     * @param properties    columns of the events file after person_id and datetime
     * @param minTime       earliest event (epoch seconds), or Long.MIN_VALUE when no event has a datetime
     * @param maxTime       latest event (epoch seconds)
     * @param productCounts events per product, when a {@code product} property is mapped
     */
    public record StreamInfo(long events, List<String> properties, long minTime, long maxTime,
                             Map<String, Long> productCounts) {}
}
