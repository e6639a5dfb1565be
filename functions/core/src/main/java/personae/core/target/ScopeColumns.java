package personae.core.target;

import com.fasterxml.jackson.databind.JsonNode;
import personae.core.scope.ScopeOutput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a target reads of its scope besides the CSV: the columns that identify a person ({@code
 * columns.identity_columns}), each payload column's readable name ({@code columns.payload_columns[].human_name}) and
 * the personas of the payload's persona sets (for the per-persona counts of an aggregated target).
 */
public record ScopeColumns(List<String> identityColumns, Map<String, String> humanNames, List<PersonaSet> personaSets) {

    /** A persona set of the scope's payload and its personas, in the set's order. */
    public record PersonaSet(String id, String name, List<Persona> personas) {
        /** The scope column holding each person's persona id in this set. */
        public String idColumn() {
            return new ScopeOutput.PersonaSetColumns(id, List.of(), List.of()).idColumn();
        }
    }

    public record Persona(String id, String name) {}

    public ScopeColumns {
        identityColumns = List.copyOf(identityColumns);
        humanNames = Map.copyOf(humanNames);
        personaSets = List.copyOf(personaSets);
    }

    /** From a built scope's document; {@code personaSet} finds a persona set's document by id. */
    public static ScopeColumns of(JsonNode scope, Function<String, Optional<JsonNode>> personaSet) {
        List<String> identity = new ArrayList<>();
        scope.path("columns").path("identity_columns").forEach(c -> identity.add(c.asText()));
        Map<String, String> human = new LinkedHashMap<>();
        scope.path("columns").path("payload_columns").forEach(c -> human.put(c.path("name").asText(),
                c.path("human_name").asText(c.path("name").asText())));
        List<PersonaSet> sets = new ArrayList<>();
        for (JsonNode id : scope.path("payload").path("persona_set_ids")) {
            personaSet.apply(id.asText()).ifPresent(ps -> {
                List<Persona> personas = new ArrayList<>();
                ps.path("personas").forEach(p -> personas.add(new Persona(p.path("id").asText(), p.path("name").asText())));
                sets.add(new PersonaSet(id.asText(), ps.path("name").asText(id.asText()), personas));
            });
        }
        return new ScopeColumns(identity, human, sets);
    }
}
