package personae.core.persona;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a {@link PersonaModel}'s number of personas was decided, kept for reports and debugging.
 *
 * @param method         {@code "given"} (the caller fixed it), {@code "silhouette"} (best mean silhouette on a
 *                       sample), or {@code "trivial"} (too few distinct people to choose)
 * @param sampleSize     rows the silhouette was measured on (0 unless {@code silhouette})
 * @param silhouetteByK  mean silhouette of each candidate number of personas (empty unless {@code silhouette})
 */
public record ClusterCountChoice(String method, int sampleSize, Map<Integer, Double> silhouetteByK) {

    public ClusterCountChoice {
        silhouetteByK = silhouetteByK == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(silhouetteByK));
    }
}
