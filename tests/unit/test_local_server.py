"""The pure parts of the local server: the jar lock, Java versions, which log lines to show."""
import pytest

from graph.errors import DealgraphError
from graph.jars import CENTRAL, LOCK, Jar, read_lock, repository
from graph.java import major_version, parse_version_output
from graph.server import useful_log_lines


def test_the_lock_pins_neo4j_5_26_and_the_browser_with_a_sha256_per_jar():
    jars = read_lock()
    by_coords = {jar.coords: jar for jar in jars}
    assert len(by_coords) == len(jars) > 150
    neo4j = [jar for jar in jars if (jar.group, jar.artifact) == ("org.neo4j", "neo4j")]
    assert len(neo4j) == 1 and neo4j[0].version.startswith("5.26.")
    assert any((jar.group, jar.artifact) == ("org.neo4j.client", "neo4j-browser") for jar in jars)
    assert all(len(jar.sha256) == 64 and jar.size > 0 for jar in jars)
    # the server's core modules come in at the same version
    assert {jar.version for jar in jars if jar.group == "org.neo4j" and jar.artifact.startswith("neo4j-")} == {neo4j[0].version}
    assert len({jar.path.rsplit("/", 1)[1] for jar in jars}) == len(jars)  # no two jars share a file name


def test_a_jar_path_is_its_maven_repository_path_with_the_classifier():
    jar = Jar("io.netty", "netty-transport-native-epoll", "4.1.1.Final", "linux-x86_64", "0" * 64, 1)
    assert jar.path == ("io/netty/netty-transport-native-epoll/4.1.1.Final/"
                        "netty-transport-native-epoll-4.1.1.Final-linux-x86_64.jar")
    assert jar.coords == "io.netty:netty-transport-native-epoll:4.1.1.Final:linux-x86_64"
    assert Jar("org.neo4j", "neo4j", "5.26.1", None, "0" * 64, 1).path == "org/neo4j/neo4j/5.26.1/neo4j-5.26.1.jar"


@pytest.mark.parametrize("line", ["org.neo4j:neo4j 0123 12", "org.neo4j:neo4j:5.26.1 " + "z" * 64 + " 12",
                                  "org.neo4j:neo4j:5.26.1 " + "a" * 64, "a:b:c:d:e " + "a" * 64 + " 1"])
def test_a_malformed_lock_line_is_named_by_file_and_line(tmp_path, line):
    lock = tmp_path / "neo4j.lock"
    lock.write_text("# comment\n" + line + "\n")
    with pytest.raises(DealgraphError, match=r"neo4j\.lock:2: not `group:artifact"):
        read_lock(lock)


def test_the_repository_is_maven_central_over_https_unless_a_mirror_is_named(monkeypatch):
    monkeypatch.delenv("DEALGRAPH_MAVEN_REPO", raising=False)
    assert repository() == CENTRAL == "https://repo1.maven.org/maven2"
    monkeypatch.setenv("DEALGRAPH_MAVEN_REPO", "https://mirror.example/maven2/")
    assert repository() == "https://mirror.example/maven2"
    assert LOCK.name == "neo4j.lock"


@pytest.mark.parametrize("banner, version, major", [
    ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', "17.0.15", 17),
    ('openjdk version "21.0.8" 2025-07-15 LTS', "21.0.8", 21),
    ('java version "1.8.0_392"\nJava(TM) SE Runtime Environment', "1.8.0_392", 8),
    ('openjdk version "25" 2025-09-16', "25", 25),
])
def test_java_versions_are_read_from_the_banner(banner, version, major):
    assert parse_version_output(banner) == version
    assert major_version(version) == major


def test_a_banner_without_a_version_is_none():
    assert parse_version_output("Error: could not find libjava.so") is None


def test_log_lines_shown_on_a_failed_start_leave_out_stack_frames():
    log = ["2026-11-26 INFO  Starting...", "", "java.lang.RuntimeException: boom",
           "\tat org.neo4j.Foo.bar(Foo.java:1)", "Caused by: java.net.BindException: in use", "\t... 12 more"]
    assert useful_log_lines(log) == ["2026-11-26 INFO  Starting...", "java.lang.RuntimeException: boom",
                                     "Caused by: java.net.BindException: in use"]
