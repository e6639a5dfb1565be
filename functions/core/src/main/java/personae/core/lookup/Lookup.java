package personae.core.lookup;

import personae.core.Problem;
import personae.core.persona.Feature;
import personae.core.persona.PersonaModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One lookup against a {@link LookupIndex}: a person the index knows (by email, else phone and last name, else street,
 * city and state) gets their assignment; an unknown one is placed by each persona set's model from the trait values
 * the request gives (traits named as the model's features; a feature not given counts as the fitted mean, as in
 * {@link PersonaModel#assign}); without either, there is no answer.
 */
public final class Lookup {

    /** The identifiers a request may send, as the reference names them. */
    public static final List<String> IDENTIFIERS = List.of("person_first_name", "person_last_name",
            "house_number_and_street", "city", "state", "postcode", "phone", "email", "email_hash");

    /** The reference's answer when neither a person nor a placement is found. */
    public static final String NO_MATCH = "Could not match an identity with the provided information";

    private Lookup() {}

    /**
     * The answer: per persona set (the index's order) the code of the persona, or -1 for a set that could not place
     * the person; how the person was matched ({@code null} when unknown); and for an unknown person, per set id, the
     * traits that placed them.
     */
    public record Answer(int[] personas, LookupIndex.Match match, Map<String, List<String>> placedBy) {
        public boolean found() {
            for (int p : personas) if (p >= 0) return true;
            return false;
        }
    }

    /**
     * Looks a person up.
     *
     * @param identifiers the request's identifiers ({@link #IDENTIFIERS}), as sent
     * @param traits      the request's other values, by trait name: a {@link Number}, or text
     * @throws Problem INVALID when a value is of no use to the trait it names (text for a numeric trait)
     */
    public static Answer lookup(LookupIndex index, Map<String, String> identifiers, Map<String, Object> traits) {
        int n = index.personaSets().size();
        long[] keys = {
                LookupKeys.email(identifiers.get("email"), identifiers.get("email_hash")),
                LookupKeys.phoneLastName(identifiers.get("phone"), identifiers.get("person_last_name")),
                LookupKeys.streetCityState(identifiers.get("house_number_and_street"), identifiers.get("city"),
                        identifiers.get("state"))};
        for (LookupIndex.Match m : LookupIndex.Match.values()) {
            int person = index.person(m, keys[m.ordinal()]);
            if (person < 0) continue;
            int[] personas = new int[n];
            for (int s = 0; s < n; s++) personas[s] = index.persona(s, person);
            return new Answer(personas, m, Map.of());
        }
        int[] personas = new int[n];
        Map<String, List<String>> placedBy = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            LookupIndex.PersonaSet set = index.personaSets().get(s);
            List<String> used = new ArrayList<>();
            double[] row = row(set.model(), traits, used);
            if (used.isEmpty()) {
                personas[s] = -1;
                continue;
            }
            personas[s] = set.model().assign(row);
            placedBy.put(set.id(), List.copyOf(used));
        }
        return new Answer(personas, null, placedBy);
    }

    /** The traits any set's model reads (what a request may send besides identifiers). */
    public static Set<String> traits(LookupIndex index) {
        return index.traits();
    }

    /** The model's raw row from the request's values ({@code NaN} where none), the traits used into {@code used}. */
    private static double[] row(PersonaModel model, Map<String, Object> traits, List<String> used) {
        List<Feature> features = model.features();
        double[] row = new double[features.size()];
        for (int f = 0; f < row.length; f++) {
            Feature feature = features.get(f);
            Object v = traits.get(feature.trait());
            if (v == null) {
                row[f] = Double.NaN;
                continue;
            }
            if (feature.kind() == Feature.Kind.CATEGORY) {
                String text = v instanceof Number num ? number(num) : v.toString();
                row[f] = text.trim().equals(feature.label()) ? 1 : 0;
            } else {
                row[f] = value(feature.trait(), v);
            }
            if (!used.contains(feature.trait())) used.add(feature.trait());
        }
        return row;
    }

    private static double value(String trait, Object v) {
        if (v instanceof Number num) {
            double d = num.doubleValue();
            if (Double.isFinite(d)) return d;
        } else {
            try {
                double d = Double.parseDouble(v.toString().trim());
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw Problem.invalid("'" + trait + "' is a numeric trait; send a number, not '"
                + personae.core.Limits.excerpt(v.toString()) + "'");
    }

    /** A whole number without its ".0" (a category sent as 3 matches "3"). */
    private static String number(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : n.toString();
    }
}
