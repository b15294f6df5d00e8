// dealgraph named queries: the ecosystem (rivals, paths, state capital, sanctions, rankings, models).
//
// Every query starts with a header of `//` lines and ends with `;`:
//   // name: NAME                          run it: dealgraph query NAME -p key=value ...
//   // description: one line
//   // param KEY: TYPE [= DEFAULT]  -- help (a param without a default is required)
//   // example: KEY=VALUE ... -- help  (optional) a worked example from the seed: ids, not names
// TYPE is entity (any name or alias, resolved to the entity's id before the query runs),
// article (an article id or its unique prefix), string, int, float, bool or date (ISO partial:
// 2023, 2023-07 or 2023-07-15). Queries take user values only as $KEY.
// In Neo4j Browser, play the dealgraph guide (`dealgraph browser-guide`): it sets each example's
// parameters and runs its query in two clicks. Or run the `:param` line that
// `dealgraph query NAME --browser -p ...` prints, then the query unchanged.
// as_of: facts dated after it are left out (2023-07 means "by the end of July 2023"); facts
// without a date are always kept. A fact that had ended by then (`until`, status former) is left
// out too (x.until + '~' compares partial dates by their ends: until 2023 ends after as_of 2023-07).
// COMPETES_WITH is stored one way and read both ways. A rivalry between two models counts as a
// rivalry between the companies that develop them.

// name: rivals
// description: A company's rivals (directly or through their models) and who backs each rival
// param company: entity          -- any name of the company
// param as_of: date = null       -- leave out rivalries and investments dated after this
// example: company=zhipu-ai -- Zhipu AI's rivals and their backers
MATCH (company:Entity {id: $company})
OPTIONAL MATCH (company)-[:DEVELOPS]->(own:Model)
WITH company, [company] + collect(own) AS sides
UNWIND sides AS side
MATCH (side)-[r:COMPETES_WITH]-(other:Entity)
WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true)
OPTIONAL MATCH (maker:Entity)-[:DEVELOPS]->(other)
WITH company, side, other, r, coalesce(maker, other) AS rival
WHERE rival <> company
OPTIONAL MATCH (backer:Entity)-[i:INVESTED_IN]->(rival)
WHERE $as_of IS NULL OR (i.date IS NULL OR left(i.date, size($as_of)) <= $as_of) AND coalesce(i.until + '~' > $as_of + '~', true)
WITH rival, side, other, r, backer ORDER BY backer.name, side.name, other.name
RETURN rival, rival.kind AS kind,
       collect(DISTINCT side.name + ' vs ' + other.name + coalesce(' (' + r.status + ')', '')) AS rivalry,
       collect(DISTINCT backer) AS backers,
       collect(DISTINCT r.source) AS sources
ORDER BY rival.name;

// name: rivals_sharing_investor
// description: Pairs of rivals that have an investor in common
// param as_of: date = null       -- leave out rivalries and investments dated after this
// example: -- every pair of rivals with an investor in common
MATCH (x:Entity)-[r:COMPETES_WITH]->(y:Entity)
WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true)
OPTIONAL MATCH (x_maker:Entity)-[:DEVELOPS]->(x)
OPTIONAL MATCH (y_maker:Entity)-[:DEVELOPS]->(y)
WITH coalesce(x_maker, x) AS one, coalesce(y_maker, y) AS two
WHERE one <> two
WITH DISTINCT CASE WHEN one.id < two.id THEN one ELSE two END AS rival_a,
              CASE WHEN one.id < two.id THEN two ELSE one END AS rival_b
MATCH (rival_a)<-[in_a:INVESTED_IN]-(investor:Entity)-[in_b:INVESTED_IN]->(rival_b)
WHERE ($as_of IS NULL OR (in_a.date IS NULL OR left(in_a.date, size($as_of)) <= $as_of) AND coalesce(in_a.until + '~' > $as_of + '~', true))
  AND ($as_of IS NULL OR (in_b.date IS NULL OR left(in_b.date, size($as_of)) <= $as_of) AND coalesce(in_b.until + '~' > $as_of + '~', true))
WITH rival_a, rival_b, investor ORDER BY investor.name
WITH rival_a, rival_b, collect(DISTINCT investor) AS shared_investors
RETURN rival_a, rival_b, shared_investors, size(shared_investors) AS shared
ORDER BY shared DESC, rival_a.name, rival_b.name;

// name: shortest_path
// description: The shortest path(s) between two entities through sourced facts, with the relationship types on the way
// param a: entity                -- any name of the first entity
// param b: entity                -- any name of the second entity
// param as_of: date = null       -- only walk through facts dated no later than this
// example: a=huafa-group b=moonshot-ai -- how Huafa Group reaches Moonshot AI
MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
WHERE a <> b
MATCH path = allShortestPaths((a)-[:INVESTED_IN|COMPETES_WITH|SANCTIONED|FINED|MANAGES|FINANCES|PARTNERS_WITH|SUBSIDIARY_OF|DEVELOPS|FOUNDED_BY|LEADS*..8]-(b))
WHERE all(r IN relationships(path) WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true))
RETURN path, length(path) AS hops, [r IN relationships(path) | type(r)] AS types,
       [r IN relationships(path) | r.source] AS sources;

// name: state_capital
// description: Government bodies and state-backed groups and funds: what they fund, manage, restrict or fine
// param as_of: date = null       -- leave out facts dated after this
// example: -- every government body and state-backed investor
MATCH (actor:Entity)
WHERE actor:GovernmentBody OR actor.state_backed = true
OPTIONAL MATCH (actor)-[r:INVESTED_IN|FINANCES|MANAGES|SANCTIONED|FINED]->(target:Entity)
WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true)
RETURN actor, actor.kind AS kind, type(r) AS action, target,
       coalesce(r.amount_text, r.measure, r.reason) AS detail, r.amount_usd AS amount_usd,
       r.date AS date, r.source AS source
ORDER BY actor.name, action, target.name;

// name: sanction_exposure
// description: Investors in companies that a government has sanctioned
// param as_of: date = null       -- leave out sanctions and investments dated after this
// example: -- who invested in a company a government sanctioned
MATCH (authority:Entity)-[s:SANCTIONED]->(sanctioned:Entity)<-[r:INVESTED_IN]-(investor:Entity)
WHERE ($as_of IS NULL OR (s.date IS NULL OR left(s.date, size($as_of)) <= $as_of) AND coalesce(s.until + '~' > $as_of + '~', true))
  AND ($as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true))
WITH investor, sanctioned, authority, s, collect(DISTINCT r.date) AS invested_on,
     collect(DISTINCT r.source) AS cited
RETURN investor, sanctioned, authority, s.measure AS measure, coalesce(s.date, s.date_text) AS sanctioned_on,
       invested_on, CASE WHEN s.source IN cited THEN cited ELSE cited + s.source END AS sources
ORDER BY investor.name, sanctioned.name;

// name: top_investors
// description: Investors ranked by portfolio size, then by known amount invested (USD)
// param limit: int = 20          -- at most this many investors
// param as_of: date = null       -- leave out investments dated after this
// example: limit=10 -- the ten busiest investors
// Known amount, per company: its separate investments added up, and a cumulative total (which
// includes earlier amounts: `cumulative: true`) never added to them but used if it is larger,
// then summed over its companies.
MATCH (investor:Entity)-[r:INVESTED_IN]->(company:Entity)
WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true)
WITH investor, company,
     collect(CASE WHEN r.cumulative THEN null ELSE r.amount_usd END) AS parts,
     max(CASE WHEN r.cumulative THEN r.amount_usd END) AS total
WITH investor, company, total,
     CASE WHEN size(parts) = 0 THEN null ELSE reduce(s = 0, x IN parts | s + x) END AS added
WITH investor, company, CASE WHEN total IS NULL OR added > total THEN added ELSE total END AS usd
WITH investor, count(company) AS companies, sum(usd) AS known_usd, count(usd) AS priced
RETURN investor, investor.kind AS kind, companies,
       CASE WHEN priced = 0 THEN null ELSE known_usd END AS known_usd
ORDER BY companies DESC, known_usd DESC, investor.name
LIMIT $limit;

// name: cross_border
// description: Investments where the investor and the company are based in different countries
// param limit: int = 100         -- at most this many, largest known amounts first
// param as_of: date = null       -- leave out investments dated after this
// example: -- every investment across a border
MATCH (investor:Entity)-[r:INVESTED_IN]->(company:Entity)
WHERE investor.country <> company.country
  AND ($as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true))
WITH investor, company, max(r.amount_usd) AS amount_usd, collect(DISTINCT r.source) AS sources
RETURN investor, investor.country AS from, company, company.country AS to, amount_usd, sources
ORDER BY amount_usd IS NULL, amount_usd DESC, investor.name, company.name
LIMIT $limit;

// name: models
// description: The models each company develops and the models they are said to compete with
// param company: entity = null   -- only this company's models (default: every company)
// param as_of: date = null       -- leave out rivalries dated after this
// example: company=alibaba -- Alibaba Group's models and their rivals
CALL {
  MATCH (company:Entity {id: $company})
  RETURN company
  UNION ALL
  // every developer, only when no company is given (an empty UNWIND skips the scan)
  UNWIND CASE WHEN $company IS NULL THEN [true] ELSE [] END AS every_company
  MATCH (company:Entity)-[:DEVELOPS]->(:Model)
  RETURN DISTINCT company
}
MATCH (company)-[:DEVELOPS]->(model:Model)
OPTIONAL MATCH (model)-[r:COMPETES_WITH]-(rival:Entity)
WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true)
OPTIONAL MATCH (maker:Entity)-[:DEVELOPS]->(rival)
RETURN company, model,
       collect(DISTINCT rival.name + coalesce(' (' + maker.name + ')', '')) AS competes_with
ORDER BY company.name, model.name;
