package personae.core.pipeline;

import personae.core.resource.ResourceType;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The blob store layout: what users sent under {@code uploads/}, everything Personae derives under its own prefixes. */
public final class Keys {

    private Keys() {}

    /** Prefix of the upload folder; on AWS an S3 notification on it starts ingestion (drop-folder uploads). */
    public static final String UPLOADS = "uploads/";

    public static String upload(String account, String directory, String file) {
        return UPLOADS + account + "/" + directory + "/" + file;
    }

    /**
     * One API upload, as received, under a key of its own (outside {@link #UPLOADS}, so no dataset and no drop-folder
     * notification sees it): the upload's record names it, so the record's size and MD5 always describe the bytes
     * {@code GET /v1/uploads/...} returns; it is then copied to {@link #upload} for the datasets.
     */
    public static String uploadVersion(String account, String token) {
        return uploadVersions(account) + token;
    }

    /** Where an account's {@link #uploadVersion}s are. */
    public static String uploadVersions(String account) {
        return "upload-versions/" + account + "/";
    }

    public static String uploadDirectory(String account, String directory) {
        return UPLOADS + account + "/" + directory + "/";
    }

    public static String uploads(String account) {
        return UPLOADS + account + "/";
    }

    /** Everything of one dataset (all its builds). */
    public static String dataset(String account, String datasetId) {
        return outputs(ResourceType.DATASETS, account, datasetId);
    }

    /**
     * One build's output folder. Each build of a dataset writes a new folder and {@code MarkReady} switches the
     * dataset to it, so nobody ever reads a half-written or half-deleted set of files.
     */
    public static String datasetBuild(String account, String datasetId, String build) {
        return dataset(account, datasetId) + "builds/" + build + "/";
    }

    /** File names inside a dataset build folder. */
    public static final String PEOPLE = "people.csv";
    /** A dataset build's identity keys per person ({@code person_id,key}): how its people link to other datasets'. */
    public static final String IDENTITY_KEYS = "identity_keys.csv";
    public static final String MANIFEST = "manifest.json";
    /** A reference-table dataset's rows: normalised key, then its traits (ingest/ReferenceTable). */
    public static final String REFERENCE_TABLE = "reference.csv";
    public static final String FIRST_PARTY_TRAITS = "first_party_traits.csv";
    public static final String TRAITS = "traits.csv";
    public static final String TRAIT_FEATURES = "traits.json";

    /**
     * A stream's events file inside a dataset build folder. A name whose encoding is long (S3 keys are at most 1,024
     * bytes) is cut and made unique by a hash of the whole name.
     */
    public static String streamEvents(String stream) {
        String encoded = URLEncoder.encode(stream, StandardCharsets.UTF_8);
        if (encoded.length() > 200) {
            encoded = encoded.substring(0, 100) + "-" + java.util.HexFormat.of()
                    .formatHex(personae.core.util.Hashes.sha256(stream), 0, 16);
        }
        return "streams/" + encoded + ".csv";
    }

    public static String cohortMembers(String account, String cohortId) {
        return outputs(ResourceType.COHORTS, account, cohortId) + "members.csv";
    }

    public static String personaModel(String account, String personaSetId) {
        return outputs(ResourceType.PERSONA_SETS, account, personaSetId) + "model.json";
    }

    /** Every trait's bins for the cohort and each persona ({@code PersonaSetAnalysis}, by ClusterPersonas). */
    public static String personaDimensions(String account, String personaSetId) {
        return outputs(ResourceType.PERSONA_SETS, account, personaSetId) + "analysis_dimensions.json";
    }

    /** Each persona's daily membership ({@code PersonaSetAnalysis}, by ClusterPersonas). */
    public static String personaFlow(String account, String personaSetId) {
        return outputs(ResourceType.PERSONA_SETS, account, personaSetId) + "analysis_flow.json";
    }

    /** What the naming step writes into each persona: its profile ({@code PersonaProfiles}). */
    public static String personaProfiles(String account, String personaSetId) {
        return outputs(ResourceType.PERSONA_SETS, account, personaSetId) + "profiles.json";
    }

    public static String scopeOutput(String account, String scopeId) {
        return outputs(ResourceType.SCOPES, account, scopeId) + "output.csv";
    }

    public static String targetOutput(String account, String targetId) {
        return outputs(ResourceType.TARGETS, account, targetId) + "output.csv";
    }

    /** A target's preview ({@code POST /v1/targets/{id}/preview}): its first rows, beside its output. */
    public static String targetPreview(String account, String targetId) {
        return outputs(ResourceType.TARGETS, account, targetId) + "preview.csv";
    }

    /**
     * Every prefix under which an account has objects: its uploads, its upload versions and each built kind's
     * outputs. Deleting an account deletes exactly these (each ends with '/', so no other account's id can match).
     */
    public static java.util.List<String> accountPrefixes(String account) {
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(uploads(account),
                uploadVersions(account)));
        for (ResourceType t : ResourceType.values()) {
            if (t.isBuilt()) out.add(t.wire() + "/" + account + "/");
        }
        return out;
    }

    /** A lookup target's index ({@code personae.core.lookup.LookupIndex}), which the API loads once per version. */
    public static String targetLookupIndex(String account, String targetId) {
        return outputs(ResourceType.TARGETS, account, targetId) + "lookup.idx";
    }

    /** The folder of everything Personae derived for a built resource (deleted with it); null for other kinds. */
    public static String outputs(ResourceType type, String account, String id) {
        return type.isBuilt() ? type.wire() + "/" + account + "/" + id + "/" : null;
    }
}
