"""The optional extractor: any OpenAI-compatible chat endpoint (Ollama, llama.cpp's server, vLLM, a
hosted API), asked for JSON. Off unless DEALGRAPH_LLM_URL is set (with DEALGRAPH_LLM_MODEL and, where
the endpoint wants one, DEALGRAPH_LLM_API_KEY). The CLI says where the text goes before sending it.

The model's answer is only a proposal: graph.extract.checks drops every quote that is not in the
article word for word (counted), resolves the names through the alias index and reads amounts and
dates again from the quoted words. A timeout, a refusal or an answer that is not JSON is one line
(DealgraphError), never a traceback. With DEALGRAPH_LLM_SCHEMA=1 the request also carries the JSON
schema of the answer (`facts_schema`), which llama.cpp's server turns into a grammar its output follows.
"""
from __future__ import annotations

import json
import os
import re

from ..errors import DealgraphError
from ..schema import FACT_TYPES
from .checks import Proposal

PROMPT = """You extract facts about who funds whom from a news article.
Answer with JSON only, no prose: {"facts": [{"type": T, "from": NAME, "to": NAME, "evidence": QUOTE,
"amount_text": MONEY_AS_WRITTEN_OR_NULL, "date_text": DATE_AS_WRITTEN_OR_NULL, "led": true_or_false}]}
T is one of: %s. INVESTED_IN goes from the investor to the company that receives the money.
NAME is the name exactly as the article writes it. QUOTE is a short phrase (at most 25 words) copied
word for word from the article that states the fact. Do not translate anything."""


def facts_schema(max_facts: int = 6) -> dict:
    """The JSON schema of the answer: for endpoints that constrain their output by a schema given in
    `response_format` (llama.cpp's server), sent when DEALGRAPH_LLM_SCHEMA=1."""
    text = {"type": "string", "maxLength": 160}
    return {"type": "object", "required": ["facts"], "properties": {"facts": {
        "type": "array", "maxItems": max_facts, "items": {
            "type": "object", "required": ["type", "from", "to", "evidence"],
            "properties": {"type": {"enum": list(FACT_TYPES)}, "from": {"type": "string", "maxLength": 60},
                           "to": {"type": "string", "maxLength": 60}, "evidence": text,
                           "amount_text": {"type": "string", "maxLength": 30},
                           "date_text": {"type": "string", "maxLength": 30}}}}}}


class LLMExtractor:
    name = "llm"

    def __init__(self, url: str, model: str, api_key: str | None = None, timeout: float = 120.0,
                 schema: dict | None = None, max_tokens: int = 1024):
        if not re.match(r"^https?://", url or ""):
            raise DealgraphError(f"DEALGRAPH_LLM_URL {url!r} is not an http(s) URL of an OpenAI-compatible endpoint")
        self.url = url.rstrip("/")
        self.model, self.api_key, self.timeout = model, api_key, timeout
        # A JSON schema the answer must follow, for servers that constrain output with one (llama.cpp's
        # `response_format: {type: json_object, schema}`); other endpoints get plain JSON mode.
        self.schema, self.max_tokens = schema, max_tokens

    @classmethod
    def from_env(cls) -> "LLMExtractor":
        url = os.environ.get("DEALGRAPH_LLM_URL")
        if not url:
            raise DealgraphError("no language model configured: set DEALGRAPH_LLM_URL (an OpenAI-compatible "
                                 "endpoint such as http://127.0.0.1:8080/v1) and DEALGRAPH_LLM_MODEL")
        try:
            timeout = float(os.environ.get("DEALGRAPH_LLM_TIMEOUT", "120"))
        except ValueError:
            raise DealgraphError("DEALGRAPH_LLM_TIMEOUT must be a number of seconds") from None
        schema = facts_schema() if os.environ.get("DEALGRAPH_LLM_SCHEMA", "") in ("1", "true", "yes") else None
        return cls(url, os.environ.get("DEALGRAPH_LLM_MODEL", "default"), os.environ.get("DEALGRAPH_LLM_API_KEY"),
                   timeout, schema=schema)

    def where(self) -> str:
        return f"{self.url}/chat/completions (model {self.model})"

    def ask(self, text: str) -> str:
        """The model's answer (its message's content), or a DealgraphError in one line."""
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        fmt = {"type": "json_object", **({"schema": self.schema} if self.schema else {})}
        body = {"model": self.model, "temperature": 0, "max_tokens": self.max_tokens, "response_format": fmt,
                "messages": [{"role": "system", "content": PROMPT % ", ".join(FACT_TYPES)},
                             {"role": "user", "content": text}]}
        try:
            r = httpx.post(f"{self.url}/chat/completions", json=body, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException:
            raise DealgraphError(f"the language model at {self.url} did not answer within {self.timeout:g} s "
                                 "(DEALGRAPH_LLM_TIMEOUT)") from None
        except httpx.HTTPError as exc:
            raise DealgraphError(f"cannot reach the language model at {self.url}: {exc}") from None
        if r.status_code >= 400:
            detail = " ".join(r.text.split())[:200]
            raise DealgraphError(f"the language model at {self.url} refused the request: HTTP {r.status_code} {detail}")
        try:
            choice = r.json()["choices"][0]
            content = choice["message"].get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError):
            raise DealgraphError(f"the answer from {self.url} is not an OpenAI-style chat completion") from None
        if choice.get("finish_reason") == "content_filter" or choice["message"].get("refusal"):
            raise DealgraphError(f"the language model at {self.url} refused to answer")
        if choice.get("finish_reason") == "length":
            raise DealgraphError(f"the language model's answer was cut off after {self.max_tokens} tokens "
                                 "(not whole JSON): try a shorter article or a larger model")
        return content

    def propose(self, text: str, lang: str, names, published: str | None) -> list[Proposal]:
        return parse_answer(self.ask(text))


def parse_answer(content: str) -> list[Proposal]:
    """The facts of a model's JSON answer as proposals (the checks decide what survives)."""
    m = re.search(r"\{.*\}", content or "", re.S)
    try:
        data = json.loads(m.group() if m else content)
    except (ValueError, TypeError):
        raise DealgraphError("the language model's answer is not JSON: " + " ".join((content or "").split())[:120]) from None
    facts = data.get("facts") if isinstance(data, dict) else data
    out = []
    for f in facts if isinstance(facts, list) else []:
        if not isinstance(f, dict):
            continue
        kind = str(f.get("type") or "").strip().upper().replace(" ", "_")
        frm, to, ev = f.get("from"), f.get("to"), f.get("evidence")
        if not all(isinstance(x, str) and x.strip() for x in (frm, to, ev)):
            continue
        out.append(Proposal(kind, to.strip(), ev.strip(), frm=frm.strip(),
                            amount_text=f.get("amount_text") if isinstance(f.get("amount_text"), str) else None,
                            date_text=f.get("date_text") if isinstance(f.get("date_text"), str) else None,
                            led=f.get("led") is True, confidence=0.5))
    return out
