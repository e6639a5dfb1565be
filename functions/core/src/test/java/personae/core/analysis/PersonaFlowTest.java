package personae.core.analysis;

import org.junit.jupiter.api.Test;
import personae.core.ingest.DatasetManifest;
import personae.core.persona.ClusterCountChoice;
import personae.core.persona.Feature;
import personae.core.persona.FeatureScaling;
import personae.core.persona.FeatureTable;
import personae.core.persona.PersonaModel;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A lapsing customer, by hand: two personas split on recency at 55 days (centres 10 and 100, no transform), one order on
 * day 0 and the data's last event on day 100. As of each day the customer is recent until recency passes 55 days (the
 * end of day 55), then lapsed; the flow shows the change at the next weekly step at the latest.
 */
class PersonaFlowTest {

    static final long D0 = 20_000; // an epoch day
    static final Feature RECENCY = new Feature("orders_recency_days", Feature.Kind.RECENCY_DAYS, "orders");

    static PersonaModel model() {
        return new PersonaModel(List.of(RECENCY), List.of(new FeatureScaling(false, 0, 1)), 2,
                new double[][] {{10}, {100}}, List.of(Map.of(RECENCY.name(), 10.0), Map.of(RECENCY.name(), 100.0)),
                List.of(1, 1), 0, new ClusterCountChoice("given", 0, Map.of()), null);
    }

    @Test
    void aLapsingCustomerMovesPersonaAsRecencyGrowsAtMostOneStepLateAndCountsOnlyFromTheFirstOrder() {
        long t0 = (D0 + 3) * 86_400 + 3_600, last = (D0 + 100) * 86_400 + 3_600;
        String events = "person_id,datetime\n0," + t0 + "\n1," + last + "\n";
        DatasetManifest manifest = new DatasetManifest(2, List.of(), Map.of("orders",
                new DatasetManifest.StreamInfo(2, List.of(), D0 * 86_400, last, Map.of())), List.of());
        PersonaFlow.Counts counts = new PersonaFlow.Counts(2, D0, D0 + 100);
        PersonaFlow.replay(model(), manifest, new int[] {0}, new FeatureTable(List.of(RECENCY), new double[][] {{0}}, 1),
                s -> new ByteArrayInputStream(events.getBytes(StandardCharsets.UTF_8)), counts);
        List<List<PersonaFlow.Day>> days = counts.days();
        assertEquals(101, days.get(0).size(), "every day of the data's span");
        long firstLapsed = -1;
        for (int i = 0; i <= 100; i++) {
            long recent = days.get(0).get(i).count(), lapsed = days.get(1).get(i).count();
            assertEquals(i < 3 ? 0 : 1, recent + lapsed, "nobody before their first order, the customer after it (day " + i + ")");
            if (lapsed == 1 && firstLapsed < 0) firstLapsed = i;
            if (firstLapsed >= 0) assertEquals(1, lapsed, "once lapsed, lapsed until a new order (day " + i + ")");
        }
        long exact = 3 + 55; // recency as of the end of day 3 + 55 is 55.96 days: past the midpoint 55
        assertTrue(firstLapsed >= exact && firstLapsed <= exact + PersonaFlow.STEP_DAYS - 1,
                "the change shows between the exact day " + exact + " and " + (PersonaFlow.STEP_DAYS - 1) + " days later: " + firstLapsed);
        assertEquals(LocalDateString.of(D0 + 100), days.get(1).get(100).date(), "the last day is the data's last day");
    }

    @Test
    void theWindowIsAtMostTheLastThreeYears() {
        PersonaFlow.Counts counts = new PersonaFlow.Counts(1, D0 - 5_000, D0);
        assertEquals(PersonaFlow.MAX_DAYS, counts.days().get(0).size());
        assertEquals(D0, counts.lastEpochDay());
    }

    static final class LocalDateString {
        static String of(long epochDay) {
            return java.time.LocalDate.ofEpochDay(epochDay).toString();
        }
    }
}
