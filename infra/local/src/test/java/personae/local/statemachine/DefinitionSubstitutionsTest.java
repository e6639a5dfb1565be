package personae.local.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ${Placeholder}} of the definition has a DefinitionSubstitutions key in template.yaml and vice versa
 * (cfn-lint checks neither). template.yaml uses CloudFormation tags (!GetAtt, !Sub) that plain YAML parsers reject,
 * so this reads the DefinitionSubstitutions block by indentation: the block's keys are the lines indented one level
 * deeper than "DefinitionSubstitutions:", up to the first line indented no deeper than it.
 * Surefire runs with the repository root as working directory (infra/local/pom.xml).
 */
class DefinitionSubstitutionsTest {

    private static final Path TEMPLATE = Path.of("template.yaml");
    private static final Path DEFINITION = Path.of("infra/statemachine/personae.asl.json");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern ENTRY = Pattern.compile("^( *)([A-Za-z0-9_]+)\\s*:\\s*(.*?)\\s*$");

    /** Key to value text of the (single) DefinitionSubstitutions block. */
    static Map<String, String> definitionSubstitutions(List<String> lines) {
        Map<String, String> entries = new LinkedHashMap<>();
        int blocks = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher header = Pattern.compile("^( *)DefinitionSubstitutions\\s*:\\s*(#.*)?$").matcher(lines.get(i));
            if (!header.matches()) {
                continue;
            }
            blocks++;
            int indent = header.group(1).length();
            Integer childIndent = null;
            for (int j = i + 1; j < lines.size(); j++) {
                String line = lines.get(j);
                if (line.isBlank() || line.trim().startsWith("#")) {
                    continue;
                }
                int lineIndent = line.length() - line.stripLeading().length();
                if (lineIndent <= indent) {
                    break;
                }
                if (childIndent == null) {
                    childIndent = lineIndent;
                }
                if (lineIndent != childIndent) {
                    throw new AssertionError("template.yaml line " + (j + 1) + ": unexpected nesting in DefinitionSubstitutions"
                            + " (use one 'Name: value' line per substitution)");
                }
                Matcher m = ENTRY.matcher(line);
                if (!m.matches() || m.group(3).isEmpty()) {
                    throw new AssertionError("template.yaml line " + (j + 1) + ": not a 'Name: value' substitution: " + line.trim());
                }
                if (entries.put(m.group(2), m.group(3)) != null) {
                    throw new AssertionError("template.yaml: DefinitionSubstitutions key " + m.group(2) + " appears twice");
                }
            }
        }
        assertEquals(1, blocks, "template.yaml should have exactly one DefinitionSubstitutions block (one state machine)");
        return entries;
    }

    @Test
    void placeholdersAndSubstitutionsMatch() throws Exception {
        List<String> template = Files.readAllLines(TEMPLATE);
        Map<String, String> substitutions = definitionSubstitutions(template);

        TreeSet<String> placeholders = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(Files.readString(DEFINITION));
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        assertFalse(placeholders.isEmpty());
        assertEquals(placeholders, new TreeSet<>(substitutions.keySet()),
                "placeholders in " + DEFINITION + " vs DefinitionSubstitutions keys in " + TEMPLATE);
    }

    @Test
    void templateDeploysThisDefinitionFile() throws Exception {
        String template = Files.readString(TEMPLATE);
        assertTrue(template.contains("DefinitionUri: " + DEFINITION), "template.yaml should deploy " + DEFINITION);
        // and the classpath copy the local runtime uses is that same file
        assertEquals(Files.readString(DEFINITION), StateMachineRunner.loadDefinition(StateMachineRunner.DEFINITION_RESOURCE));
    }

    @Test
    void eachFunctionArnSubstitutionPointsAtItsStepFunction() throws Exception {
        List<String> lines = Files.readAllLines(TEMPLATE);
        String template = String.join("\n", lines);
        Pattern getAtt = Pattern.compile("!GetAtt ([A-Za-z0-9]+)Function\\.Arn");
        definitionSubstitutions(lines).forEach((key, value) -> {
            Matcher v = getAtt.matcher(value);
            assertTrue(v.matches(), key + " should be '!GetAtt <Step>Function.Arn', was " + value);
            String step = v.group(1);
            assertEquals(step + "FunctionArn", key);
            assertTrue(Pattern.compile("(?m)^  " + step + "Function:\\s*$").matcher(template).find(),
                    "template.yaml has no resource " + step + "Function");
            assertTrue(template.contains("Handler: personae.handlers.step." + step + "Handler::handleRequest"),
                    "template.yaml has no handler personae.handlers.step." + step + "Handler");
            assertTrue(template.contains("FunctionName: !Ref " + step + "Function"),
                    "the state machine has no LambdaInvokePolicy for " + step + "Function");
        });
    }
}
