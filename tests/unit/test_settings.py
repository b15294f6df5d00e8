"""Connection settings (graph.connection.Settings.from_env): Neo4j's variables, a `.env` file,
flags over both, and a password that no repr shows."""
from __future__ import annotations

import pytest

from graph import connection
from graph.connection import Settings
from graph.errors import DealgraphError

VARIABLES = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE", "DEALGRAPH_TIMEOUT",
             "DEALGRAPH_BOLT_PORT")


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """No connection variables set, a working folder without `.env`, and `.env` not yet read."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(connection, "_dotenv_loaded", False)
    return monkeypatch


def test_defaults(environment):
    assert Settings.from_env() == Settings(uri="bolt://localhost:7687", username="neo4j", password="dealgraph",
                                           database=None, timeout=10.0)


def test_neo4j_variables(environment):
    for name, value in (("NEO4J_URI", "neo4j://db:7000"), ("NEO4J_USERNAME", "reader"), ("NEO4J_PASSWORD", "pw"),
                        ("NEO4J_DATABASE", "deals"), ("DEALGRAPH_TIMEOUT", "2.5")):
        environment.setenv(name, value)
    assert Settings.from_env() == Settings("neo4j://db:7000", "reader", "pw", "deals", 2.5)


def test_the_local_bolt_port_makes_the_default_uri(environment):
    environment.setenv("DEALGRAPH_BOLT_PORT", "7707")
    assert Settings.from_env().uri == "bolt://localhost:7707"
    environment.setenv("NEO4J_URI", "bolt://elsewhere:1")
    assert Settings.from_env().uri == "bolt://elsewhere:1"  # an explicit URI wins


def test_an_empty_variable_counts_as_unset(environment):
    environment.setenv("NEO4J_USERNAME", "")
    environment.setenv("NEO4J_DATABASE", "")
    settings = Settings.from_env()
    assert (settings.username, settings.database) == ("neo4j", None)


def test_flags_override_and_missing_flags_do_not(environment):
    environment.setenv("NEO4J_USERNAME", "reader")
    environment.setenv("NEO4J_PASSWORD", "from-env")
    settings = Settings.from_env(uri="bolt://flag:1", username=None, password="from-flag", database=None)
    assert (settings.uri, settings.username, settings.password, settings.database) == \
        ("bolt://flag:1", "reader", "from-flag", None)


def test_a_dotenv_file_fills_in_what_the_environment_does_not_say(environment, tmp_path):
    (tmp_path / ".env").write_text("NEO4J_USERNAME=from-file\nNEO4J_PASSWORD=file-pw\n", encoding="utf-8")
    environment.setenv("NEO4J_PASSWORD", "from-env")
    settings = Settings.from_env()
    assert (settings.username, settings.password) == ("from-file", "from-env")  # the environment wins


def test_the_password_is_in_no_repr(environment):
    settings = Settings.from_env(password="Quokka-Mango-9931")
    assert settings.password == "Quokka-Mango-9931"
    assert "Quokka" not in repr(settings) and "Quokka" not in str(settings)


@pytest.mark.bad_input
@pytest.mark.parametrize("timeout", ["abc", "0", "-1", "inf", "nan", "10s"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_one_clear_error(environment, timeout):
    environment.setenv("DEALGRAPH_TIMEOUT", timeout)
    with pytest.raises(DealgraphError) as info:
        Settings.from_env()
    assert str(info.value) == f"DEALGRAPH_TIMEOUT={timeout!r}: expected a number of seconds, such as 10"
