package personae.local;

import org.junit.jupiter.api.Test;
import personae.handlers.step.Steps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The list of steps ({@link Steps}) is the state machine's Tasks and the template's step functions, no more, no less. */
class StepsMatchDefinitionTest {

    @Test
    void everyTaskOfTheDefinitionIsAStepAndAFunctionOfTheTemplate() throws Exception {
        Set<String> placeholders = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z]+)FunctionArn}")
                .matcher(Files.readString(Path.of("infra/statemachine/personae.asl.json")));
        while (m.find()) placeholders.add(m.group(1));
        assertEquals(placeholders, Steps.all().keySet(), "the definition's Tasks are exactly the steps of Steps.all()");

        // template.yaml: each <Step>Function's Handler, in the order the functions are declared
        Map<String, String> handlers = new LinkedHashMap<>();
        String function = null;
        for (String line : Files.readAllLines(Path.of("template.yaml"))) {
            Matcher f = Pattern.compile("^  ([A-Za-z]+)Function:$").matcher(line);
            if (f.matches()) function = f.group(1);
            Matcher h = Pattern.compile("^      Handler: (\\S+)::handleRequest$").matcher(line);
            if (h.matches() && function != null) handlers.put(function, h.group(1));
        }
        Steps.all().forEach((step, type) -> {
            String declared = handlers.get(step);
            String expected = type.getName();
            assertEquals(expected, declared, "template.yaml deploys step " + step + " as " + step + "Function with its handler");
        });
        assertEquals(Steps.all().size(), handlers.keySet().stream().filter(Steps.all()::containsKey).count());
    }
}
