# Build of the Lambda code for `sam build` (template.yaml: every function has CodeUri "." and
# Metadata BuildMethod: makefile, so SAM runs `make build-<LogicalId>` with ARTIFACTS_DIR set).
#
# All functions share ONE shaded jar (functions/handlers, classifier "lambda"). It is a file target
# with the Maven sources as prerequisites, so make builds it once and every build-<LogicalId> target
# only unzips it into $(ARTIFACTS_DIR). Recommended:
#     sam build --build-in-source          # builds the jar once, in this tree (samconfig.toml sets it)
# or  make jar && sam build                # SAM's scratch copies then find an up-to-date jar
# (Run `make jar` first if you use `sam build --parallel`: concurrent targets would otherwise each start Maven.)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

JAR := functions/handlers/target/personae-handlers-0.1.0-SNAPSHOT-lambda.jar
SOURCES := pom.xml $(shell find functions -name pom.xml -o -path '*/src/main/*' -type f 2>/dev/null)

FUNCTIONS := ApiFunction UploadFolderFunction \
	CheckInputsFunction IngestDatasetFunction EnrichTraitsFunction BuildCohortFunction \
	ClusterPersonasFunction NamePersonasFunction MaterializeScopeFunction PublishTargetFunction \
	MarkReadyFunction MarkErrorFunction

.PHONY: jar clean-artifacts $(addprefix build-,$(FUNCTIONS))

jar: $(JAR)

$(JAR): $(SOURCES)
	source bin/java-home.sh && mvn -B -DskipTests package -pl functions/handlers -am
	@touch $@

$(addprefix build-,$(FUNCTIONS)): build-%: $(JAR)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)"
	if command -v unzip >/dev/null; then unzip -q -o "$(JAR)" -d "$(ARTIFACTS_DIR)"; \
	else python3 -m zipfile -e "$(JAR)" "$(ARTIFACTS_DIR)"; fi
