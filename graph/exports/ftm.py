"""FollowTheMoney entities (the data model of OCCRP's Aleph and OpenSanctions) as JSON lines.

Made with the `followthemoney` package (MIT), so every entity is checked against FtM's schemata
and its values cleaned as FtM cleans them (countries lower-case, amounts as decimals). Mapping:

  Company -> Company          Fund -> Company (classification "fund": an Ownership's asset must be one)
  GovernmentBody -> PublicBody    Person -> Person    Model -> Asset
  INVESTED_IN -> Ownership (owner: investor, asset: company; amount as sharesValue/Currency,
                 stake as percentage, date as startDate, until as endDate, round and lead in role)
  SUBSIDIARY_OF -> Ownership (owner: the parent, asset: the child)
  LEADS -> Directorship (director: the person, organization, role)
  FINED -> Payment (payer: the company fined, beneficiary: the government body, amount, purpose)
  any other fact -> UnknownLink (subject, object, role: its relationship type)
  an article cited -> Article (title, outlet as publisher, published date, file name, language)

Ids are dealgraph's where FtM accepts them (letters, digits, '.', '-'); any other id becomes
"dg-" and a SHA-1 of it (FtM would drop references to it), and the id itself stays in `recordId`
(facts) or `keywords` (entities). Every fact keeps its source: `publisher` names it (article file or import name), `proof` points
at the Article entity when it is one; `recordId` is the fact's id, `status` 'former' where an
article says it ended, `description` its evidence and caveat.
"""
from __future__ import annotations

import json
from typing import Iterator

from ..picture import Picture, kind_of, name_of

ENTITY_SCHEMATA = {"Company": "Company", "Fund": "Company", "GovernmentBody": "PublicBody",
                   "Person": "Person", "Model": "Asset"}
CLASSIFIED = {"Fund": "fund"}   # a kind that shares its schema says which it is


def ftm_lines(picture: Picture, articles: dict[str, dict] | None = None) -> Iterator[str]:
    """One JSON line per entity, fact and cited article (in that order)."""
    try:
        from followthemoney import model
    except ImportError:
        from ..errors import DealgraphError

        raise DealgraphError("export ftm needs the followthemoney package: pip install 'dealgraph[ftm]'") from None

    articles = articles or {}
    ids = {key: ftm_id(str(node["props"].get("id") or key)) for key, node in picture.nodes.items()}
    for key, node in picture.nodes.items():
        yield _json(_entity(model, ids[key], node))
    cited = set()
    for key, edge in picture.edges.items():
        proxy = _fact(model, key, edge, ids[edge["start"]], ids[edge["end"]])
        source = edge["props"].get("source")
        if source is not None:
            proxy.add("publisher", str(source))
            if str(source) in articles:
                proxy.add("proof", article_id(str(source)))
                cited.add(str(source))
        yield _json(proxy)
    for node in picture.nodes.values():
        cited.update(s for s in node["props"].get("sources") or () if s in articles)
    for source in sorted(cited):
        yield _json(_article(model, articles[source]))


def article_id(source: str) -> str:
    return ftm_id(f"article-{source}")


def ftm_id(raw: str) -> str:
    """`raw` if FtM takes it as an entity id, else "dg-" and its SHA-1 (stable)."""
    from followthemoney.types import registry
    from followthemoney.util import make_entity_id

    return raw if registry.entity.clean(raw) == raw else "dg-" + make_entity_id(raw)


def _json(proxy) -> str:
    return json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True)


def _entity(model, entity_id: str, node: dict):
    props, kind = node["props"], kind_of(node)
    proxy = model.make_entity(ENTITY_SCHEMATA.get(kind, "LegalEntity"))
    proxy.id = entity_id
    if entity_id != props.get("id"):
        proxy.add("keywords", str(props.get("id")), quiet=True)
    name = name_of(node)
    proxy.add("name", name)
    proxy.add("alias", [a for a in props.get("aliases") or () if a != name])
    if kind in CLASSIFIED:
        proxy.add("classification", CLASSIFIED[kind], quiet=True)  # Asset has none: its schema says it
    proxy.add("country", props.get("country"))
    proxy.add("address", props.get("city"), quiet=True)
    if kind != "Person":
        proxy.add("incorporationDate", props.get("founded"), quiet=True)
    proxy.add("description", props.get("description"))
    proxy.add("notes", props.get("note"))
    proxy.add("publisher", [str(s) for s in props.get("sources") or ()])
    return proxy


def _fact(model, key: str, edge: dict, start: str, end: str):
    props, rel_type = edge["props"], edge["type"]
    text = lambda name: None if props.get(name) is None else str(props[name])  # noqa: E731
    if rel_type in ("INVESTED_IN", "SUBSIDIARY_OF"):
        proxy = model.make_entity("Ownership")
        owner, asset = (start, end) if rel_type == "INVESTED_IN" else (end, start)
        proxy.add("owner", owner)
        proxy.add("asset", asset)
        roles = ["investor" if rel_type == "INVESTED_IN" else "parent company"]
        if props.get("led"):
            roles.append("lead investor")
        if props.get("round"):
            roles.append(f"round {props['round']}")
        if props.get("commitment"):
            roles.append("commitment (pledged, not paid)")
        proxy.add("role", roles)
        proxy.add("ownershipType", "investment" if rel_type == "INVESTED_IN" else "subsidiary")
        proxy.add("sharesValue", props.get("amount"))
        proxy.add("sharesCurrency", text("currency"))
        if isinstance(props.get("stake"), (int, float)) and not isinstance(props.get("stake"), bool):
            proxy.add("percentage", props["stake"] * 100)
    elif rel_type == "LEADS":
        proxy = model.make_entity("Directorship")
        proxy.add("director", start)
        proxy.add("organization", end)
        proxy.add("role", text("role") or "leads")
    elif rel_type == "FINED":
        proxy = model.make_entity("Payment")
        proxy.add("payer", end)
        proxy.add("beneficiary", start)
        proxy.add("amount", props.get("amount"))
        proxy.add("currency", text("currency"))
        proxy.add("amountUsd", props.get("amount_usd"))
        proxy.add("purpose", text("reason") or "fine")
    else:
        proxy = model.make_entity("UnknownLink")
        proxy.add("subject", start)
        proxy.add("object", end)
        proxy.add("role", rel_type)
    proxy.id = ftm_id(str(props.get("id") or key))
    common = {"recordId": text("id"), "startDate": text("date"), "endDate": text("until"), "status": text("status"),
              "summary": " · ".join(str(props[k]) for k in ("amount_text", "measure", "kind", "date_text")
                                    if props.get(k) is not None) or None,
              "description": [str(props[k]) for k in ("evidence", "caveat", "note") if props.get(k) is not None]}
    for name, value in common.items():  # quiet: a schema without the property (Payment's status) goes without
        proxy.add(name, value, quiet=True)
    return proxy


def _article(model, article: dict):
    proxy = model.make_entity("Article")
    proxy.id = article_id(str(article["id"]))
    proxy.add("fileName", str(article["id"]))
    proxy.add("title", [str(article[k]) for k in ("title", "title_en") if article.get(k)] or str(article["id"]))
    proxy.add("publisher", article.get("outlet"))
    proxy.add("publishedAt", article.get("published"))
    proxy.add("language", article.get("language"))
    proxy.add("author", article.get("author"))
    proxy.add("sourceUrl", article.get("url"))
    return proxy
