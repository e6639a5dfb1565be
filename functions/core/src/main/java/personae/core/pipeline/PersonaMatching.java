package personae.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.persona.Feature;
import personae.core.persona.PersonaModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which new persona is which previous one: both sides' centres (the raw means shown as {@code details.center}) are
 * put in the new model's standardised space, and pairs are taken nearest first, each persona at most once, while
 * their distance is under {@link #MAX_DISTANCE} (in standard deviations). A persona whose group did not change moves
 * far less than that in a rebuild; two different groups are further apart.
 */
final class PersonaMatching {

    /** Euclidean distance, in the new model's standard deviations, under which two centres are one persona. */
    static final double MAX_DISTANCE = 1.0;

    /** For each new persona, the previous one it continues (or none). */
    record Match(String[] previousIds, String[] previousNames) {
        String previousIdOf(int persona) {
            return previousIds[persona];
        }

        String previousNameOf(int persona) {
            return previousNames[persona];
        }
    }

    private PersonaMatching() {}

    static Match match(JsonNode previousPersonas, PersonaModel model) {
        int k = model.k();
        String[] ids = new String[k];
        String[] names = new String[k];
        List<JsonNode> previous = new ArrayList<>();
        previousPersonas.forEach(previous::add);
        if (previous.isEmpty()) return new Match(ids, names);
        double[][] fresh = new double[k][];
        for (int i = 0; i < k; i++) fresh[i] = standardised(model, i, null);
        record Pair(int fresh, int previous, double distance) {}
        List<Pair> pairs = new ArrayList<>();
        for (int j = 0; j < previous.size(); j++) {
            double[] old = standardised(model, -1, previous.get(j).path("details").path("center"));
            for (int i = 0; i < k; i++) {
                double d2 = 0;
                for (int f = 0; f < old.length; f++) {
                    double diff = Double.isNaN(old[f]) ? 0 : fresh[i][f] - old[f];
                    d2 += diff * diff;
                }
                pairs.add(new Pair(i, j, Math.sqrt(d2)));
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::distance).thenComparingInt(Pair::fresh).thenComparingInt(Pair::previous));
        boolean[] taken = new boolean[previous.size()];
        for (Pair p : pairs) {
            if (p.distance() >= MAX_DISTANCE) break;
            if (ids[p.fresh()] != null || taken[p.previous()]) continue;
            ids[p.fresh()] = previous.get(p.previous()).path("id").asText();
            names[p.fresh()] = previous.get(p.previous()).path("name").asText();
            taken[p.previous()] = true;
        }
        return new Match(ids, names);
    }

    /** A centre in the model's standardised space: persona {@code i}'s own, or the given raw centre (NaN: absent). */
    private static double[] standardised(PersonaModel model, int persona, JsonNode rawCenter) {
        List<Feature> features = model.features();
        double[] z = new double[features.size()];
        for (int f = 0; f < z.length; f++) {
            String name = features.get(f).name();
            double raw;
            if (rawCenter == null) {
                Double v = model.centers().get(persona).get(name);
                raw = v == null ? Double.NaN : v;
            } else {
                raw = rawCenter.path(name).isNumber() ? rawCenter.get(name).asDouble() : Double.NaN;
            }
            z[f] = Double.isNaN(raw) ? Double.NaN : model.scalings().get(f).apply(raw);
        }
        if (rawCenter == null) for (int f = 0; f < z.length; f++) if (Double.isNaN(z[f])) z[f] = 0;
        return z;
    }
}
