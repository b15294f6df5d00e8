// dealgraph named queries: provenance (who says what, where the sources disagree, what is missing).
//
// Every query starts with a header of `//` lines and ends with `;`:
//   // name: NAME                          run it: dealgraph query NAME -p key=value ...
//   // description: one line
//   // param KEY: TYPE [= DEFAULT]  -- help (a param without a default is required)
//   // example: KEY=VALUE ... -- help  (optional) a worked example from the seed: ids, not names
// TYPE is entity (any name or alias, resolved to the entity's id before the query runs),
// article (an article id or its unique prefix), string, int, float, bool or date (ISO partial:
// 2023, 2023-07 or 2023-07-15) or fact_type (a relationship type from graph/schema.py, or RAISED
// for rounds). Queries take user values only as $KEY.
// In Neo4j Browser, play the dealgraph guide (`dealgraph browser-guide`): it sets each example's
// parameters and runs its query in two clicks. Or run the `:param` line that
// `dealgraph query NAME --browser -p ...` prints, then the query unchanged.
// Every fact (relationship) and round cites its article in `source` and quotes it in `evidence`
// (the article's own words). Reports of the same thing share a `claim` key; they conflict when
// their amounts, valuations, dates or status (a rivalry one article says has ended) differ.
// `caveat` says why a fact should be read with care; `status: 'former'` (with `until` where
// known) marks what an article says has ended; `cumulative` marks totals that include earlier amounts.

// name: article_claims
// description: Everything one article claims: its facts and rounds, in its own words, with status and caveats
// param article: article         -- the article's id, or the start of it (e.g. 003)
// example: article=003_c0d1f047a211b548.txt -- everything article 003 claims
MATCH (article:Article {id: $article})
CALL {
  WITH article
  MATCH (article)<-[:MENTIONED_IN]-(subject:Entity)-[r]->(object:Entity)
  WHERE r.source = article.id
  RETURN subject, type(r) AS claim, object,
         coalesce(r.amount_text, r.measure, r.reason, r.role, r.kind, '') +
           CASE WHEN r.cumulative THEN ' (cumulative total)' ELSE '' END AS says,
         coalesce(r.date, r.date_text) AS date,
         CASE WHEN r.status IS NULL THEN null ELSE r.status + coalesce(' until ' + r.until, '') END AS status,
         r.caveat AS caveat, r.evidence AS evidence, r.note AS note, r.id AS fact
  UNION
  WITH article
  MATCH (article)<-[:REPORTED_IN]-(round:Round)<-[:RAISED]-(subject:Entity)
  RETURN subject, 'RAISED' AS claim, round AS object,
         coalesce(round.amount_text, '') +
           CASE WHEN round.valuation_text IS NULL THEN '' ELSE ' (valuation ' + round.valuation_text + ')' END AS says,
         coalesce(round.date, round.date_text) AS date, null AS status, round.caveat AS caveat,
         round.evidence AS evidence, round.note AS note, round.id AS fact
}
RETURN subject, claim, object, says, date, status, caveat, evidence, note, fact
ORDER BY claim, subject.name, fact;

// name: conflicting_claims
// description: Reports of the same thing (a shared claim key) whose amounts, valuations, dates or status differ
// example: -- every claim whose reports disagree
CALL {
  MATCH (subject:Entity)-[r]->(object:Entity)
  WHERE r.claim IS NOT NULL
  RETURN r.claim AS claim, subject.name + ' ' + type(r) + ' ' + object.name AS about, r.source AS source,
         coalesce(toString(coalesce(r.amount_usd, r.amount)), '-') + '|-|' + coalesce(r.date, '-') + '|' +
           coalesce(r.status, 'current') AS value,
         coalesce(r.status + ': ', '') + coalesce(r.amount_text, r.date_text, r.date, r.evidence, 'no amount or date') AS says
  UNION ALL
  MATCH (subject:Entity)-[:RAISED]->(round:Round)
  WHERE round.claim IS NOT NULL
  RETURN round.claim AS claim, subject.name + ' RAISED' AS about, round.source AS source,
         coalesce(toString(coalesce(round.amount_usd, round.amount)), '-') + '|' +
           coalesce(toString(coalesce(round.valuation_usd, round.valuation)), '-') + '|' + coalesce(round.date, '-') +
           '|current' AS value,
         coalesce(round.amount_text, 'no amount') +
           CASE WHEN round.valuation_text IS NULL THEN '' ELSE ', valuation ' + round.valuation_text END +
           CASE WHEN round.date IS NULL THEN '' ELSE ', ' + round.date END AS says
}
WITH claim, collect(DISTINCT about) AS about, collect(DISTINCT value) AS values,
     collect(DISTINCT source) AS sources, collect({source: source, value: value, says: says}) AS versions
WHERE size(values) > 1
WITH claim, about, sources, versions,
     any(s IN sources WHERE size(reduce(seen = [], v IN versions |
         CASE WHEN v.source <> s OR v.value IN seen THEN seen ELSE seen + v.value END)) > 1) AS within
RETURN claim, about,
       CASE WHEN size(sources) > 1 AND within THEN 'between and within sources'
            WHEN size(sources) > 1 THEN 'between sources' ELSE 'within a source' END AS conflict,
       [v IN versions | v.says + ' [' + v.source + ']'] AS versions, sources
ORDER BY claim;

// name: missing_amount_or_date
// description: Facts and rounds that give no amount (for money) or no date, with the words the article used
// param type: fact_type = null  -- only facts of this type, e.g. INVESTED_IN (RAISED: rounds)
// param source: article = null  -- only this article's facts
// param limit: int = 500        -- at most this many rows
// example: type=INVESTED_IN -- investments reported without an amount or a date
CALL {
  MATCH (subject:Entity)-[r]->(object:Entity)
  WHERE r.id IS NOT NULL AND ($type IS NULL OR type(r) = $type) AND ($source IS NULL OR r.source = $source)
  WITH subject, r, object, type(r) IN ['INVESTED_IN', 'FINED'] AND r.amount IS NULL AS no_amount
  WHERE no_amount OR r.date IS NULL
  RETURN subject, type(r) AS claim, object,
         CASE WHEN no_amount AND r.date IS NULL THEN 'amount, date' WHEN no_amount THEN 'amount' ELSE 'date' END AS missing,
         r.date_text AS date_text, r.source AS source, r.id AS fact
  UNION ALL
  MATCH (subject:Entity)-[:RAISED]->(round:Round)
  WHERE ($type IS NULL OR $type = 'RAISED') AND ($source IS NULL OR round.source = $source)
    AND (round.amount IS NULL OR round.date IS NULL)
  RETURN subject, 'RAISED' AS claim, round AS object,
         CASE WHEN round.amount IS NULL AND round.date IS NULL THEN 'amount, date'
              WHEN round.amount IS NULL THEN 'amount' ELSE 'date' END AS missing,
         round.date_text AS date_text, round.source AS source, round.id AS fact
}
RETURN subject, claim, object, missing, date_text, source, fact
ORDER BY source, claim, subject.name, fact
LIMIT $limit;

// name: caveats
// description: Facts and rounds to read with care: those with a caveat, and facts an article says have ended
// param source: article = null  -- only this article's
// example: -- every fact and round the seed qualifies
CALL {
  MATCH (subject:Entity)-[r]->(object:Entity)
  WHERE (r.caveat IS NOT NULL OR r.status IS NOT NULL) AND ($source IS NULL OR r.source = $source)
  RETURN subject, type(r) AS claim, object,
         CASE WHEN r.status IS NULL THEN null ELSE r.status + coalesce(' until ' + r.until, '') END AS status,
         r.caveat AS caveat, r.evidence AS evidence, r.source AS source, r.id AS fact
  UNION ALL
  MATCH (subject:Entity)-[:RAISED]->(round:Round)
  WHERE round.caveat IS NOT NULL AND ($source IS NULL OR round.source = $source)
  RETURN subject, 'RAISED' AS claim, round AS object, null AS status, round.caveat AS caveat,
         round.evidence AS evidence, round.source AS source, round.id AS fact
}
RETURN subject, claim, object, status, caveat, evidence, source, fact
ORDER BY source, claim, subject.name, fact;
