package personae.core.sample;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic personas on planted groups (issue 6): a small grid of {@link PlantedGroupsGenerator} cases (2, 4 and 6
 * groups, two seeds, 3,000 customers, the clear separation level, unequal sizes, four noise traits with outliers and missing values), each through
 * ingestion, trait enrichment and {@code PersonaClustering.fit} with k chosen. The full grid is the benchmark
 * {@link PlantedGroupsBenchmark}.
 */
class PlantedGroupsGridTest {


    @Test
    void automaticPersonasFindThePlantedGroupsOnASmallGrid() throws IOException {
        List<PlantedGroupsCase> cases = new ArrayList<>();
        for (int groups : new int[]{2, 4, 6}) {
            for (long seed : new long[]{1, 2}) {
                cases.add(PlantedGroupsCase.run(new PlantedGroupsGenerator.Config(groups, 3000, seed, PlantedGroupsCase.CLEAR, PlantedGroupsCase.IMBALANCE, 4)));
            }
        }
        StringBuilder report = new StringBuilder();
        cases.forEach(c -> report.append('\n').append(c.describe()));
        System.out.println("planted groups grid:" + report);
        double meanAri = cases.stream().mapToDouble(PlantedGroupsCase::ari).average().orElseThrow();
        long found = cases.stream().filter(c -> c.model().k() == c.config().groups()).count();
        for (PlantedGroupsCase c : cases) {
            assertTrue(c.ari() >= 0.85, "every case recovers its planted groups with ARI >= 0.85:" + report);
            assertTrue(Math.abs(c.model().k() - c.config().groups()) <= 1,
                    "automatic k is never more than one away from the planted number:" + report);
        }
        assertTrue(meanAri >= 0.9, "mean ARI over the grid is at least 0.9, got " + meanAri + ":" + report);
        // the planted number itself is found in half the cases (3 of 6 today): the weak point, see docs/benchmarks.md
        assertTrue(found * 2 >= cases.size(), "automatic k finds the planted number in at least half the cases:" + report);
    }
}
