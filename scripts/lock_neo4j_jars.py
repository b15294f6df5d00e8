"""Regenerate graph/neo4j.lock from graph/neo4j-pom.xml: the one place Maven is used (by maintainers).

    python scripts/lock_neo4j_jars.py            # needs mvn; writes graph/neo4j.lock

Maven resolves the pom's runtime dependencies into an empty local repository with strict
checksums (`-C`: every file checked against the .sha1 Maven Central serves beside it); this script
then pins each jar's SHA-256 and size. `dealgraph neo4j start` downloads exactly these files and
refuses any that does not match, so users need neither Maven nor trust in a mirror. Run it after
changing a version in the pom, and commit the lock with the pom.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "graph" / "neo4j-pom.xml"
LOCK = ROOT / "graph" / "neo4j.lock"
MAVEN_LIST = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:list"
# groupId:artifactId:type[:classifier]:version:scope:/absolute/path.jar [-- module ...]
LINE = re.compile(r"^\s*([^:\s]+):([^:\s]+):jar:(?:([^:\s]+):)?([^:\s]+):(compile|runtime):(\S+\.jar)")


def resolve(local_repo: Path) -> list[tuple[str, Path]]:
    listing = local_repo / "dependencies.txt"
    for attempt in range(3):  # Maven Central sometimes answers 429 to bursts
        done = subprocess.run(
            ["mvn", "-B", "-q", "-C", "-f", str(POM), MAVEN_LIST, "-DincludeScope=runtime",
             "-DoutputAbsoluteArtifactFilename=true", f"-DoutputFile={listing}",
             f"-Dmaven.repo.local={local_repo}"], capture_output=True, text=True)
        if done.returncode == 0:
            break
    else:
        sys.exit(f"mvn failed:\n{done.stdout}{done.stderr}")
    jars = []
    for line in listing.read_text().splitlines():
        if m := LINE.match(line):
            group, artifact, classifier, version, _, path = m.groups()
            coords = ":".join([group, artifact, version] + ([classifier] if classifier else []))
            jars.append((coords, Path(path)))
    return jars


def main() -> None:
    pom = POM.read_text()
    neo4j = re.search(r"<neo4j.version>(.*?)<", pom).group(1)
    browser = re.search(r"<neo4j.browser.version>(.*?)<", pom).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        jars = resolve(Path(tmp))
        names = [path.name for _, path in jars]
        assert len(set(names)) == len(names), "two jars share a file name"
        lines = [
            f"# Neo4j {neo4j} Community (5.26 LTS) and Neo4j Browser {browser}: the jars `dealgraph neo4j start`",
            "# downloads from Maven Central and checks. Generated from graph/neo4j-pom.xml by",
            "# scripts/lock_neo4j_jars.py: do not edit by hand.",
            "# groupId:artifactId:version[:classifier] sha256 bytes",
        ]
        for coords, path in jars:
            data = path.read_bytes()
            lines.append(f"{coords} {hashlib.sha256(data).hexdigest()} {len(data)}")
    LOCK.write_text("\n".join(lines) + "\n")
    print(f"{LOCK.relative_to(ROOT)}: {len(jars)} jars, "
          f"{sum(int(l.rsplit(' ', 1)[1]) for l in lines[4:]) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
