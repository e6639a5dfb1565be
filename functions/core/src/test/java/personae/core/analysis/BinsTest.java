package personae.core.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BinsTest {

    @Test
    void numberBinsCoverEveryValueOnceFromTheLowestWithTheLastOpenEnded() {
        SplittableRandom r = new SplittableRandom(5);
        double[] values = new double[5_000];
        for (int i = 0; i < values.length; i++) values[i] = i % 50 == 0 ? Double.NaN : Math.exp(r.nextDouble(0, 6));
        Bins.TraitBins t = Dimensions.of("spend", values, null);
        List<Bins.Bin> bins = t.bins();
        assertTrue(bins.size() > 3 && bins.size() <= Bins.MAX_NUMBER_BINS, "up to ten bins: " + bins.size());
        assertNull(bins.get(bins.size() - 1).max(), "the last bin is open-ended");
        double lowest = java.util.Arrays.stream(values).filter(Double::isFinite).min().orElseThrow();
        assertEquals(lowest, bins.get(0).min(), "the first bin starts at the lowest value");
        long counted = 0;
        for (int i = 0; i < bins.size(); i++) {
            Bins.Bin b = bins.get(i);
            if (i + 1 < bins.size()) assertEquals(b.max(), bins.get(i + 1).min(), "bins are contiguous");
            long truth = java.util.Arrays.stream(values).filter(v -> v >= b.min() && (b.max() == null || v < b.max())).count();
            assertEquals(truth, b.count(), "a bin counts the values from its min (inclusive) to its max (exclusive)");
            counted += b.count();
        }
        assertEquals(values.length - values.length / 50, counted, "every value but the missing ones is in one bin");
        assertEquals(100, bins.stream().mapToDouble(Bins.Bin::percent).sum(), 0.1, "percents add up to 100");
    }

    @Test
    void fewDistinctNumbersGetABinEachAndTextBeyondTwentyValuesSharesOneOtherBin() {
        double[] orders = {1, 1, 1, 2, 2, 3};
        List<Bins.Bin> bins = Dimensions.of("orders", orders, null).bins();
        assertEquals(List.of(1.0, 2.0, 3.0), bins.stream().map(Bins.Bin::min).toList(), "one bin per distinct count");
        assertEquals(List.of(3L, 2L, 1L), bins.stream().map(Bins.Bin::count).toList());

        List<String> cells = new ArrayList<>();
        for (int v = 0; v < 25; v++) for (int n = 0; n <= v; n++) cells.add("v" + v);
        cells.add("");
        List<Bins.Bin> text = Dimensions.of("t", null, cells).bins();
        assertEquals(Bins.MAX_TEXT_BINS + 1, text.size(), "the 20 most common values, then the rest together");
        assertEquals("v24", text.get(0).value(), "most common first");
        assertEquals(Bins.OTHER, text.get(text.size() - 1).value());
        assertEquals(1 + 2 + 3 + 4 + 5, text.get(text.size() - 1).count(), "the five rarest values are in the other bin");
    }
}
