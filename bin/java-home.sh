# Sourced by the scripts in bin/: points JAVA_HOME at a JDK 25 (Personae's release level) when one can be found.
# Order: an existing JAVA_HOME that is already 25, the default java if it is 25, then the usual JVM folders.
personae_is_jdk25() { [ -x "$1/bin/javac" ] && "$1/bin/java" -version 2>&1 | head -1 | grep -q '"25'; }
if [ -n "${JAVA_HOME:-}" ] && personae_is_jdk25 "$JAVA_HOME"; then
  :
else
  candidates=()
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  for d in "${candidates[@]}"; do
    if personae_is_jdk25 "$d"; then export JAVA_HOME="$d"; break; fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || ! personae_is_jdk25 "$JAVA_HOME"; then
  echo "Personae needs a JDK 25 (for example Temurin 25); none was found. Install one or set JAVA_HOME." >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
