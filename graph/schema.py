"""The graph model, in one place: labels, relationship types, keys, constraints and indexes.

Nodes
  (:Entity:<Kind> {id, name, kind, aliases, country, city, founded, description, state_backed, sources, note})
      Kind is one of ENTITY_KINDS. `id` is a stable slug, unique across all entities. `aliases`
      holds every spelling seen (any script); `country` is an ISO 3166-1 alpha-2 code; `founded`
      is an ISO partial date ("2019", "2023-04"); `state_backed` marks state-owned or state-backed
      groups and funds; `sources` lists the article ids that mention the entity.
  (:Alias {key})-[:ALIAS_OF {names}]->(:Entity)
      One node per normalised name key (graph.names.name_key) of every name and alias. A key
      shared by two entities has two ALIAS_OF edges: that name is ambiguous. `names` lists the
      entity's spellings that fold to that key.
  (:Article {id, title, title_en, language, outlet, via, author, published, url, note})
      `id` is the article's file name; facts cite it in their `source` property and entities
      link to it with (:Entity)-[:MENTIONED_IN]->(:Article).
  (:Round {id, name, date, date_text, date_inferred, amount, currency, amount_usd, amount_text,
           valuation, valuation_currency, valuation_usd, valuation_text, investor_count, source,
           claim, note, evidence, caveat, amount_qualifier, valuation_qualifier})
      A funding round as reported: totals across investors live here, not on each investor.
      Only rounds: a valuation on its own or a fund's target is not a Round.
      (:Entity)-[:RAISED]->(:Round); (:Round)-[:REPORTED_IN]->(:Article).
  (:Import {source, kind, status, rows, started, finished, changed})
      One per batched import (graph.imports): status 'running' until its last batch commits,
      then 'complete'. Any other status means the graph holds only part of that import.
      A `dealgraph load` that changed the graph leaves one too (kind 'load', `changed`: when).
  (:Judgement {pair, judgement, a, b, name, at, by, record})
      A user's decision about two entities (graph.resolution): same (b merged into a; `record`:
      JSON of what a split needs), different or unsure; mirrors the user's judgements file.
      A merged entity has `merged` (the ids merged into it); moved facts carry `merged_from`,
      and a fact both had keeps both sources in `sources`.
  (:Record {key, version, by, at}) and (:Change {key, version, at, by, action, summary})
      What the web app wrote (graph.web.audit): a Record per thing it writes ("article:<id>"), at
      the version of its last save; a Change per save, with the label of the token that made it.
  (:Analysis {id, ran_at, status, as_of, min_shared, nodes, edges, communities, modularity,
              investments, parameters})
      One per `dealgraph analyze` (graph.analytics); the scores it wrote are Entity properties
      `degree`, `weighted_degree`, `pagerank`, `betweenness`, `community` (int).

Facts: relationships between entities (FACT_TYPES). Each has a unique `id`, a `source` (the
article's file name; for imported data, the import's name) and, where the article gives them,
`date` (ISO partial date: "2023", "2023-07", "2023-07-15"), `date_text` (as written), `note`.
`date` and `date_text` date the fact itself; a date the article gives for something else (when a
news agency reported it, a meeting, a speech) stays in `note`. Facts and rounds that report the
same thing (possibly with different figures) share a `claim` key. Seed facts and rounds also carry
  evidence     the article's own words, verbatim: a phrase of at most 25 words that Ctrl+F finds
               in the article (`dealgraph load --articles DIR` checks it; imported data has none)
  caveat       why to read it with care: the article's claim is doubtful or contradicted, or the
               seed fills in what the article leaves unsaid (shown, never silently corrected)
  status       'former': the article says it has ended; `until` (ISO partial date) where known
  date_inferred true where the year in `date` is read from the article's dateline, not the sentence
  cumulative   (money facts) true for a running total that includes earlier amounts: never add
               it to them (the money-summing queries skip it)
  amount_qualifier, valuation_qualifier
               'approx' ("about", "nearly") or 'min' ("more than"): the figure is as written
  INVESTED_IN   investor -> company: amount, currency, amount_usd, amount_text, round (Round id),
                led (bool), stake (fraction, 0.10 = 10%), commitment (bool: pledged, not paid)
  COMPETES_WITH rival -> rival (read it both ways), between companies or between models
  SANCTIONED    government body -> target: measure (what the restriction is)
  FINED         government body -> company: amount, currency, amount_usd, amount_text, reason
  MANAGES       manager -> fund;  FINANCES  financer -> fund or company (state capital)
  PARTNERS_WITH organisation -> organisation: kind (cloud, distribution, advertising, ...)
  SUBSIDIARY_OF child -> parent;  DEVELOPS  company -> model
  FOUNDED_BY    organisation -> person;  LEADS  person -> organisation: role
"""
from __future__ import annotations

from .errors import DealgraphError

ENTITY_KINDS = ("Company", "Fund", "GovernmentBody", "Person", "Model")
FACT_TYPES = (
    "INVESTED_IN", "COMPETES_WITH", "SANCTIONED", "FINED", "MANAGES", "FINANCES",
    "PARTNERS_WITH", "SUBSIDIARY_OF", "DEVELOPS", "FOUNDED_BY", "LEADS",
)
# Structural relationships: they carry no claim of their own.
LINK_TYPES = ("ALIAS_OF", "MENTIONED_IN", "RAISED", "REPORTED_IN")
OTHER_LABELS = ("Entity", "Alias", "Article", "Round", "Import", "Analysis", "Judgement", "Record", "Change")

NAME_INDEX = "entity_names"  # the full-text index of entity names and aliases

CONSTRAINTS = [
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT alias_key IF NOT EXISTS FOR (n:Alias) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT round_id IF NOT EXISTS FOR (n:Round) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT import_source IF NOT EXISTS FOR (n:Import) REQUIRE n.source IS UNIQUE",
    "CREATE CONSTRAINT analysis_id IF NOT EXISTS FOR (n:Analysis) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT record_key IF NOT EXISTS FOR (n:Record) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT judgement_pair IF NOT EXISTS FOR (n:Judgement) REQUIRE n.pair IS UNIQUE",
] + [
    f"CREATE CONSTRAINT {t.lower()}_id IF NOT EXISTS FOR ()-[r:{t}]-() REQUIRE r.id IS UNIQUE"
    for t in FACT_TYPES
]
INDEXES = [
    "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE INDEX entity_country IF NOT EXISTS FOR (n:Entity) ON (n.country)",
    "CREATE INDEX invested_round IF NOT EXISTS FOR ()-[r:INVESTED_IN]-() ON (r.round)",
    "CREATE INDEX invested_source IF NOT EXISTS FOR ()-[r:INVESTED_IN]-() ON (r.source)",
    "CREATE INDEX round_source IF NOT EXISTS FOR (n:Round) ON (n.source)",  # graph.write.sweep
    "CREATE INDEX entity_community IF NOT EXISTS FOR (n:Entity) ON (n.community)",
    "CREATE INDEX analysis_ran_at IF NOT EXISTS FOR (n:Analysis) ON (n.ran_at)",
    "CREATE INDEX change_key IF NOT EXISTS FOR (n:Change) ON (n.key)",  # graph.web.audit.history
    # Fuzzy name search (graph.resolve.search: the web app's /search, "did you mean ...?").
    # 'standard-folding' splits names into words (Han characters one by one), lower-cases them and
    # folds Latin accents (Vietnamese "Tập đoàn" -> "tap doan"); Arabic letter variants are left
    # to fuzzy matching and to the exact alias-key lookup, which folds them (graph.names).
    f"CREATE FULLTEXT INDEX {NAME_INDEX} IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
]


def ensure_schema(conn) -> None:
    """Create the constraints and indexes (idempotent) and wait until they are online.

    All in one transaction: the server then fills the new indexes of a populated graph (after a
    bulk import) in one pass over its store, not one pass each; on 1,000,000 investments that took
    16 s instead of 30 s."""
    with conn.session() as session:
        with session.begin_transaction() as tx:
            for statement in CONSTRAINTS + INDEXES:
                tx.run(statement).consume()
            tx.commit()
        session.run("CALL db.awaitIndexes(900)").consume()


def check_label(label: str) -> str:
    """A label from user input, accepted only if the schema knows it (labels cannot be parameters)."""
    if label not in ENTITY_KINDS + OTHER_LABELS:
        raise DealgraphError(f"unknown kind {label!r}: expected one of {', '.join(ENTITY_KINDS)}")
    return label


def check_type(rel_type: str) -> str:
    """A relationship type from user input, accepted only if the schema knows it."""
    if rel_type not in FACT_TYPES + LINK_TYPES:
        raise DealgraphError(f"unknown relationship type {rel_type!r}: expected one of {', '.join(FACT_TYPES)}")
    return rel_type


WIPE_BATCH = 10_000


def wipe(conn) -> dict:
    """Delete every node and relationship (constraints and indexes stay), in batches of WIPE_BATCH
    nodes, each its own transaction (CALL ... IN TRANSACTIONS): {"nodes": n, "relationships": n}."""
    with conn.session() as session:
        c = session.run(f"MATCH (n) CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {WIPE_BATCH} ROWS"
                        ).consume().counters
    return {"nodes": c.nodes_deleted, "relationships": c.relationships_deleted}
