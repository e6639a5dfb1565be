package personae.core.target;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

import personae.core.util.Csv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A hosted-CSV target's file from its scope's output: {@code filter.persona} rows, then {@code custom_structure}
 * columns (selection, order and names), then a {@code limit} of {@code row_count}, written with the target's
 * {@code options} ({@code delimiter}, {@code quote_all}, {@code gzip}). Streams row by row.
 */
public final class TargetCsv {

    private TargetCsv() {}

    public static long transform(JsonNode target, InputStream scopeCsv, OutputStream out) {
        JsonNode options = target.path("options");
        String delimiter = options.path("delimiter").asText(",");
        boolean quoteAll = options.path("quote_all").asBoolean(false);
        long limit = target.path("limit").path("method").asText("").equals("row_count")
                ? target.path("limit").path("threshold").asLong(Long.MAX_VALUE) : Long.MAX_VALUE;
        long written = 0;
        try (CSVParser in = Csv.read(scopeCsv)) {
            Map<String, Integer> cols = in.getHeaderMap();
            List<Integer> select = new ArrayList<>();
            List<String> header = new ArrayList<>();
            JsonNode structure = target.get("custom_structure");
            if (structure != null && structure.isArray() && !structure.isEmpty()) {
                for (JsonNode c : structure) {
                    Integer i = cols.get(c.path("scope_col").asText());
                    if (i == null) {
                        throw new IllegalArgumentException("custom_structure names scope column '"
                                + c.path("scope_col").asText() + "', which the scope does not have (columns: "
                                + String.join(", ", in.getHeaderNames()) + ")");
                    }
                    select.add(i);
                    header.add(c.path("output_col").asText(c.path("scope_col").asText()));
                }
            } else {
                for (String h : in.getHeaderNames()) {
                    select.add(cols.get(h));
                    header.add(h);
                }
            }
            List<PersonaFilter> filters = new ArrayList<>();
            for (JsonNode f : target.path("filter").path("persona")) {
                String col = "fdy_persona_set_" + f.path("persona_set_id").asText().replace('-', '_') + "_persona_id";
                Integer i = cols.get(col);
                if (i == null) {
                    throw new IllegalArgumentException("filter.persona names persona set "
                            + f.path("persona_set_id").asText() + ", which is not in the scope's payload");
                }
                filters.add(new PersonaFilter(i, f.path("persona_id").asText(), f.path("_eq").asBoolean(true)));
            }
            OutputStream sink = options.path("gzip").asBoolean(false) ? new GZIPOutputStream(out, 1 << 16) : out;
            CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setRecordSeparator('\n')
                    .setHeader(header.toArray(String[]::new))
                    .setQuoteMode(quoteAll ? QuoteMode.ALL : QuoteMode.MINIMAL).get();
            try (CSVPrinter p = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16), format)) {
                for (CSVRecord r : in) {
                    if (written >= limit) break;
                    if (!filters.stream().allMatch(f -> f.keeps(r))) continue;
                    for (int i : select) p.print(r.get(i));
                    p.println();
                    written++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    private record PersonaFilter(int column, String personaId, boolean eq) {
        boolean keeps(CSVRecord r) {
            return personaId.equals(r.get(column)) == eq;
        }
    }
}
