"""Connection failures and secrets: one clear line each, and the password shown nowhere.

Server down (a closed port), wrong password, wrong database and a server that accepts the
connection and never answers (DEALGRAPH_TIMEOUT small), for `neo4j status` and for a query.
Then a distinctive password goes through status, load, query and viz, and must appear in no
output, no --help, no page, no server log and no Settings repr.
"""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from helpers import PASSWORD, assert_one_line_error, free_port

SECRET = "Wrong-Zebra-Passw0rd-4711"   # a wrong password
DISTINCT = "Quokka-Mango-Secret-9931"  # the right one, for the secrets test: found nowhere by chance



@pytest.fixture(scope="module")
def silent_port():
    """A port that accepts connections and never says a word (a hung server, a wrong service)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for c in held:
        c.close()
    listener.close()


COMMANDS = {"status": ["neo4j", "status"], "query": ["query", "top_investors"]}


def unlocked(password: str = PASSWORD) -> None:
    """Wait out Neo4j's lock on a user after wrong passwords (a few seconds), for the tests that follow."""
    import time

    from graph.connection import connect
    from graph.errors import DealgraphError

    for _ in range(100):
        try:
            connect(password=password).close()
            return
        except DealgraphError:
            time.sleep(0.2)


def case(name, silent_port):
    if name == "server-down":
        return ["--uri", f"bolt://127.0.0.1:{free_port()}"], {}, "cannot reach Neo4j"
    if name == "wrong-password":
        return ["--password", SECRET], {}, "refused the credentials of user 'neo4j'"
    if name == "wrong-database":
        return ["--database", "nosuchdb"], {}, "has no database 'nosuchdb'"
    if name == "timeout":
        return ["--uri", f"bolt://127.0.0.1:{silent_port}"], {"DEALGRAPH_TIMEOUT": "1"}, "did not answer"
    raise AssertionError(name)


@pytest.mark.bad_input
@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("failure", ["server-down", "wrong-password", "wrong-database", "timeout"])
def test_each_connection_failure_is_one_line(failure, command, cli, silent_port):
    flags, env, needle = case(failure, silent_port)
    result = cli(*flags, *COMMANDS[command], env=env, timeout=60)
    assert_one_line_error(result, needle)
    assert SECRET not in result.out + result.err
    if failure == "wrong-password":
        unlocked()


# -- secrets ---------------------------------------------------------------------------------------
@pytest.fixture
def distinct_password(seed_graph):
    """The server's password changed to DISTINCT for one test, and changed back whatever happens."""
    import neo4j

    def change(old, new):
        with neo4j.GraphDatabase.driver(seed_graph.settings.uri, auth=("neo4j", old)) as driver:
            driver.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new", old=old, new=new,
                                 database_="system")

    change(PASSWORD, DISTINCT)
    try:
        yield DISTINCT
    finally:
        change(DISTINCT, PASSWORD)


def test_the_password_appears_nowhere(cli, distinct_password, tmp_path, server):
    from graph.connection import Settings

    env = {"NEO4J_PASSWORD": DISTINCT}
    outputs = []
    for args in (["neo4j", "status"], ["load"], ["query", "investors_of", "-p", "company=Zhipu"],
                 ["viz", "ego", "Zhipu", "-o", tmp_path / "zhipu.html"], ["resolve", "Zhipu"],
                 ["--password", DISTINCT, "query", "top_investors"]):
        result = cli(*args, env=env)
        assert result.code == 0, result
        outputs.append(result.out + result.err)
    wrong = cli("--password", SECRET, "query", "top_investors", env=env)  # the error path
    assert wrong.code != 0
    outputs.append(wrong.out + wrong.err)
    unlocked(DISTINCT)
    for args in ([], ["load"], ["query"], ["neo4j", "start"], ["viz", "ego"], ["import", "csv"]):
        outputs.append(cli(*args, "--help", env=env).out)
    for text in outputs:
        assert DISTINCT not in text and SECRET not in text, text[-300:]
    page = (tmp_path / "zhipu.html").read_text(encoding="utf-8")
    assert "Zhipu" in page and DISTINCT not in page
    logs = [p for p in Path(server.home, "logs").glob("*") if p.is_file()]
    assert logs and [p.name for p in logs if DISTINCT in p.read_text(errors="replace")
                     or SECRET in p.read_text(errors="replace")] == []
    settings = Settings.from_env(password=DISTINCT)
    assert settings.password == DISTINCT and DISTINCT not in repr(settings) + str(settings)
