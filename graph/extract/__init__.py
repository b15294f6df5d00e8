"""From a news article to a draft of sourced facts in the seed's own format (`dealgraph draft`).

    from graph.extract import draft_article
    draft = draft_article(text, lang="auto", title=None, outlet=None, date="2024-03-05", names=None,
                          source="article.txt")
    draft.to_yaml()   # what `dealgraph load` reads (a dataset file)
    draft.to_json()   # the same, as JSON (the web review page's input)

Two extractors behind one interface (`propose(text, lang, names, published) -> [Proposal]`):
`RulesExtractor` (built in, offline, the default) and `LLMExtractor` (any OpenAI-compatible chat
endpoint, from DEALGRAPH_LLM_URL / _MODEL / _API_KEY). Both go through the one set of checks in
graph.extract.checks. Names are looked up in an alias index: `GraphNames(conn)` (the graph's) or
`DatasetNames(dataset)` (a dataset's, no server; the bundled seed when `names` is None).
"""
from __future__ import annotations

from .draft import Draft, draft_article, write_draft
from .names import DatasetNames, GraphNames
from .rules import RulesExtractor

__all__ = ["Draft", "draft_article", "write_draft", "DatasetNames", "GraphNames", "RulesExtractor"]
