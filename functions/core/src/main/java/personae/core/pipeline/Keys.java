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
    public static final String MANIFEST = "manifest.json";
    public static final String FIRST_PARTY_TRAITS = "first_party_traits.csv";
    public static final String TRAITS = "traits.csv";
    public static final String TRAIT_FEATURES = "traits.json";

    /** A stream's events file inside a dataset build folder. */
    public static String streamEvents(String stream) {
        return "streams/" + URLEncoder.encode(stream, StandardCharsets.UTF_8) + ".csv";
    }

    public static String cohortMembers(String account, String cohortId) {
        return outputs(ResourceType.COHORTS, account, cohortId) + "members.csv";
    }

    public static String personaModel(String account, String personaSetId) {
        return outputs(ResourceType.PERSONA_SETS, account, personaSetId) + "model.json";
    }

    public static String scopeOutput(String account, String scopeId) {
        return outputs(ResourceType.SCOPES, account, scopeId) + "output.csv";
    }

    public static String targetOutput(String account, String targetId) {
        return outputs(ResourceType.TARGETS, account, targetId) + "output.csv";
    }

    /** The folder of everything Personae derived for a built resource (deleted with it); null for other kinds. */
    public static String outputs(ResourceType type, String account, String id) {
        return type.isBuilt() ? type.wire() + "/" + account + "/" + id + "/" : null;
    }
}
