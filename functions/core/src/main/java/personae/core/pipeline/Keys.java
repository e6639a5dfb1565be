package personae.core.pipeline;

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

    public static String dataset(String account, String datasetId) {
        return "datasets/" + account + "/" + datasetId + "/";
    }

    public static String people(String account, String datasetId) {
        return dataset(account, datasetId) + "people.csv";
    }

    public static String manifest(String account, String datasetId) {
        return dataset(account, datasetId) + "manifest.json";
    }

    public static String streamEvents(String account, String datasetId, String stream) {
        return dataset(account, datasetId) + "streams/" + URLEncoder.encode(stream, StandardCharsets.UTF_8) + ".csv";
    }

    public static String firstPartyTraits(String account, String datasetId) {
        return dataset(account, datasetId) + "first_party_traits.csv";
    }

    public static String traits(String account, String datasetId) {
        return dataset(account, datasetId) + "traits.csv";
    }

    public static String traitFeatures(String account, String datasetId) {
        return dataset(account, datasetId) + "traits.json";
    }

    public static String cohortMembers(String account, String cohortId) {
        return "cohorts/" + account + "/" + cohortId + "/members.csv";
    }

    public static String personaModel(String account, String personaSetId) {
        return "persona_sets/" + account + "/" + personaSetId + "/model.json";
    }

    public static String scopeOutput(String account, String scopeId) {
        return "scopes/" + account + "/" + scopeId + "/output.csv";
    }

    public static String targetOutput(String account, String targetId) {
        return "targets/" + account + "/" + targetId + "/output.csv";
    }
}
