"""The local server under pressure: two starts at once, the password on no command line, a clean
stop that says so, a failing start that shows Neo4j's log at once.

One fresh server folder on spare ports for the module. `dealgraph neo4j start` runs twice at the
same moment, each in its own real process; each of those processes records, through Python's
audit hook (`subprocess.Popen`, `os.posix_spawn`, `os.exec`, `os.system`), the command line of
every process it starts, so the password check sees short-lived ones (Java's version probe,
Neo4j's admin tool) as well as the server, whose command line psutil reads while it runs.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from helpers import CliResult, free_port

PASSWORD = "Pangolin-Ledger-Secret-5521"

RECORDING_DEALGRAPH = """
import json, os, sys
log = open(os.environ["ARGV_LOG"], "a")
def hook(event, args):
    if event in ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.system", "os.spawn"):
        argv = args[1] if event != "os.system" else args[0]
        argv = [os.fsdecode(a) for a in argv] if isinstance(argv, (list, tuple)) else [os.fsdecode(argv)]
        log.write(json.dumps({"pid": os.getpid(), "event": event, "argv": argv}) + "\\n")
        log.flush()
sys.addaudithook(hook)
from graph.cli import main
sys.argv = ["dealgraph"] + sys.argv[1:]
main()
"""



def server_processes(home: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if f"--home-dir={home}" in (proc.info["cmdline"] or []) and proc.status() != psutil.STATUS_ZOMBIE:
            found.append(proc)
    return found


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh server folder, two `neo4j start` launched at once into it, and what they did."""
    tmp = tmp_path_factory.mktemp("hardening")
    home, bolt, http = tmp / "home", free_port(), free_port()
    env = {**os.environ, "DEALGRAPH_HOME": str(home), "DEALGRAPH_BOLT_PORT": str(bolt),
           "DEALGRAPH_HTTP_PORT": str(http), "NEO4J_URI": f"bolt://127.0.0.1:{bolt}",
           "NEO4J_PASSWORD": PASSWORD, "DEALGRAPH_HEAP": "512m", "DEALGRAPH_PAGECACHE": "64m",
           "ARGV_LOG": str(tmp / "argv.jsonl")}

    def run(*args, extra=None, timeout=600):
        return CliResult(subprocess.run([sys.executable, "-c", RECORDING_DEALGRAPH, *args], capture_output=True,
                                        text=True, timeout=timeout, env={**env, **(extra or {})}))

    both = [subprocess.Popen([sys.executable, "-c", RECORDING_DEALGRAPH, "neo4j", "start"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for proc in both:
        out, err = proc.communicate(timeout=600)
        results.append(CliResult(subprocess.CompletedProcess(proc.args, proc.returncode, out, err)))
    running = server_processes(home)
    cmdlines = [p.cmdline() for p in running]
    yield {"home": home, "run": run, "starts": results, "running": running, "cmdlines": cmdlines,
           "argv_log": tmp / "argv.jsonl"}
    run("neo4j", "stop")


def test_two_starts_at_once_start_one_server(fresh):
    starts = fresh["starts"]
    assert all(r.code == 0 for r in starts), starts
    firsts = sorted(r.out.splitlines()[0].split(" Neo4j")[0] for r in starts)
    assert firsts == ["Already running:", "Started"], starts
    assert len(fresh["running"]) == 1, fresh["cmdlines"]
    pids = {line.split("(pid ")[1].rstrip(")") for r in starts for line in r.out.splitlines()[:1]}
    assert pids == {str(fresh["running"][0].pid)}


def test_the_password_is_on_no_command_line_of_the_processes_dealgraph_starts(fresh):
    started = [json.loads(line) for line in fresh["argv_log"].read_text().splitlines()]
    programs = [" ".join(entry["argv"]) for entry in started]
    # the check saw what matters: Java's version probe, the admin tool that set the password, the server
    assert any(p.endswith("-version") for p in programs), programs
    admin = [entry["argv"] for entry in started if "org.neo4j.cli.AdminTool" in entry["argv"]]
    assert len(admin) == 1 and "set-initial-password" not in admin[0], admin  # its arguments are in a file
    assert sum("org.neo4j.server.CommunityEntryPoint" in p for p in programs) == 1, programs
    for program in programs + [" ".join(c) for c in fresh["cmdlines"]]:
        assert PASSWORD not in program
    assert fresh["cmdlines"] and all("org.neo4j.server.CommunityEntryPoint" in c for c in fresh["cmdlines"])
    for path in fresh["home"].rglob("*"):  # nor in a file it leaves behind (auth.ini holds a salted hash)
        if path.is_file() and path.stat().st_size < 5_000_000:
            assert PASSWORD.encode() not in path.read_bytes(), path
    status = fresh["run"]("neo4j", "status")
    assert status.code == 0 and "running: Neo4j 5.26." in status.out, status  # and it is the password


def test_stop_waits_for_a_clean_shutdown_and_says_so(fresh):
    [server] = fresh["running"]
    stopped = fresh["run"]("neo4j", "stop")
    assert stopped.code == 0, stopped
    assert stopped.out.startswith(f"Stopped Neo4j cleanly (pid {server.pid}, "), stopped
    assert not server.is_running() or server.status() == psutil.STATUS_ZOMBIE
    assert server_processes(fresh["home"]) == []
    log = (fresh["home"] / "logs" / "neo4j.log").read_text().splitlines()
    assert log[-1].endswith("INFO  Stopped.")
    again = fresh["run"]("neo4j", "stop")
    assert again.code == 0 and again.out.strip() == "Neo4j was not running", again


def test_a_failing_start_shows_the_log_at_once(fresh):
    """A setting Neo4j rejects ends the start as soon as Neo4j exits (well before the 180 s wait)."""
    failed = fresh["run"]("neo4j", "start", extra={"DEALGRAPH_PAGECACHE": "lots"}, timeout=150)
    assert failed.code != 0 and "Traceback" not in failed.err, failed
    error = failed.err.strip().splitlines()[-1]
    assert error.startswith("Error: Neo4j exited with code 1 while starting: "), failed
    assert "'lots' is not a valid size" in error and f"logs in {fresh['home'] / 'logs'}" in error, failed
    assert "The last lines Neo4j logged" in failed.err
    assert "server.memory.pagecache.size" in failed.err  # the line that names the setting
    assert not (fresh["home"] / "neo4j.pid").exists() and server_processes(fresh["home"]) == []
