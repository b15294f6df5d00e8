// dealgraph named queries: co-investment (who backs whom, and with whom).
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

// name: investors_of
// description: The investors of a company, with the rounds, largest reported amount and sources
// param company: entity          -- any name of the company
// param as_of: date = null       -- leave out investments dated after this
// example: company=zhipu-ai -- who backs Zhipu AI
// amount_usd: the largest the investor is reported to have put in, or, where no row gives the
// investor's own amount, the largest amount of a round it took part in (the round's total)
MATCH (company:Entity {id: $company})<-[r:INVESTED_IN]-(investor:Entity)
WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true)
OPTIONAL MATCH (company)-[:RAISED]->(round:Round {id: r.round})
WITH investor, r, round
RETURN investor, collect(DISTINCT r.round) AS rounds, CASE WHEN true IN collect(r.led) THEN true WHEN false IN collect(r.led) THEN false END AS led,
       coalesce(max(r.amount_usd), max(round.amount_usd)) AS amount_usd, collect(DISTINCT r.date) AS dates,
       collect(DISTINCT r.source) AS sources
ORDER BY investor.name;

// name: portfolio
// description: The companies an investor backs, with the rounds, largest reported amount and sources
// param investor: entity         -- any name of the investor
// param as_of: date = null       -- leave out investments dated after this
// example: investor=alibaba -- what Alibaba Group backs
MATCH (investor:Entity {id: $investor})-[r:INVESTED_IN]->(company:Entity)
WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true)
RETURN company, collect(DISTINCT r.round) AS rounds, CASE WHEN true IN collect(r.led) THEN true WHEN false IN collect(r.led) THEN false END AS led,
       max(r.amount_usd) AS amount_usd, collect(DISTINCT r.date) AS dates, collect(DISTINCT r.source) AS sources
ORDER BY company.name;

// name: coinvestors
// description: Who invested in the same companies as an investor, and in which ones
// param investor: entity         -- any name of the investor
// param limit: int = 100         -- at most this many co-investors, most companies shared first
// param as_of: date = null       -- leave out investments dated after this
// example: investor=alibaba -- who invests alongside Alibaba Group
MATCH (investor:Entity {id: $investor})-[mine:INVESTED_IN]->(company:Entity)<-[theirs:INVESTED_IN]-(coinvestor:Entity)
WHERE coinvestor <> investor
  AND ($as_of IS NULL OR (mine.date IS NULL OR left(mine.date, size($as_of)) <= $as_of) AND coalesce(mine.until + '~' > $as_of + '~', true))
  AND ($as_of IS NULL OR (theirs.date IS NULL OR left(theirs.date, size($as_of)) <= $as_of) AND coalesce(theirs.until + '~' > $as_of + '~', true))
WITH coinvestor, collect(DISTINCT company) AS companies
WITH coinvestor, companies, size(companies) AS shared
ORDER BY shared DESC, coinvestor.name
LIMIT $limit
UNWIND companies AS company
WITH coinvestor, shared, company ORDER BY company.name
WITH coinvestor, shared, collect(company) AS companies
RETURN coinvestor, shared, companies
ORDER BY shared DESC, coinvestor.name;

// name: backers_of_both
// description: Investors that back both companies
// param a: entity                -- any name of the first company
// param b: entity                -- any name of the second company
// param as_of: date = null       -- leave out investments dated after this
// example: a=zhipu-ai b=baichuan -- who backs both Zhipu AI and Baichuan AI
MATCH (a:Entity {id: $a})<-[in_a:INVESTED_IN]-(investor:Entity)-[in_b:INVESTED_IN]->(b:Entity {id: $b})
WHERE ($as_of IS NULL OR (in_a.date IS NULL OR left(in_a.date, size($as_of)) <= $as_of) AND coalesce(in_a.until + '~' > $as_of + '~', true))
  AND ($as_of IS NULL OR (in_b.date IS NULL OR left(in_b.date, size($as_of)) <= $as_of) AND coalesce(in_b.until + '~' > $as_of + '~', true))
UNWIND [in_a.source, in_b.source] AS source
WITH investor, source ORDER BY source
RETURN investor, investor.kind AS kind, collect(DISTINCT source) AS sources
ORDER BY investor.name;

// name: coinvestor_pairs
// description: Investor pairs ranked by how many companies they both back
// param min_shared: int = 2      -- only pairs that share at least this many companies
// param limit: int = 25          -- at most this many pairs
// param as_of: date = null       -- leave out investments dated after this
// example: min_shared=2 -- investors that back at least two companies together
// Counted per company, over investors with at least min_shared deals (no one else can qualify):
// each company's investors are paired once, in element-id order, then the pairs are counted.
MATCH (investor:Entity)-[r:INVESTED_IN]->(company:Entity)
WHERE COUNT { (investor)-[:INVESTED_IN]->() } >= $min_shared
  AND ($as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true))
WITH DISTINCT company, investor
ORDER BY elementId(investor)
WITH company, collect(investor) AS investors
WHERE size(investors) > 1
UNWIND range(0, size(investors) - 2) AS i
UNWIND range(i + 1, size(investors) - 1) AS j
WITH investors[i] AS a, investors[j] AS b, count(*) AS shared
WHERE shared >= $min_shared
WITH a, b, shared
ORDER BY shared DESC, a.name, b.name
LIMIT $limit
MATCH (a)-[in_a:INVESTED_IN]->(company:Entity)<-[in_b:INVESTED_IN]-(b)
WHERE ($as_of IS NULL OR (in_a.date IS NULL OR left(in_a.date, size($as_of)) <= $as_of) AND coalesce(in_a.until + '~' > $as_of + '~', true))
  AND ($as_of IS NULL OR (in_b.date IS NULL OR left(in_b.date, size($as_of)) <= $as_of) AND coalesce(in_b.until + '~' > $as_of + '~', true))
WITH a, b, shared, company ORDER BY company.name
WITH a, b, shared, collect(DISTINCT company) AS companies
RETURN a AS investor_a, b AS investor_b, shared, companies
ORDER BY shared DESC, investor_a.name, investor_b.name;

// name: syndicates
// description: Funding rounds with several investors, and who led them
// param company: entity = null   -- only this company's rounds (default: every company)
// param min_investors: int = 2   -- rounds with at least this many known investors
// param as_of: date = null       -- leave out rounds dated after this
// example: company=zhipu-ai -- Zhipu AI's rounds and who joined them
CALL {
  MATCH (company:Entity {id: $company})-[:RAISED]->(round:Round)
  RETURN company, round
  UNION ALL
  // every company's rounds, only when no company is given (an empty UNWIND skips the scan)
  UNWIND CASE WHEN $company IS NULL THEN [true] ELSE [] END AS every_company
  MATCH (company:Entity)-[:RAISED]->(round:Round)
  RETURN company, round
}
WITH company, round
WHERE $as_of IS NULL OR (round.date IS NULL OR left(round.date, size($as_of)) <= $as_of) AND coalesce(round.until + '~' > $as_of + '~', true)
MATCH (investor:Entity)-[r:INVESTED_IN {round: round.id}]->(company)
WITH company, round, investor, r ORDER BY investor.name
WITH company, round, collect(DISTINCT investor) AS investors,
     collect(DISTINCT CASE WHEN r.led THEN investor END) AS led_by
WHERE size(investors) >= $min_investors
RETURN company, round.name AS round, round.date AS date, round.amount_usd AS amount_usd,
       investors, led_by, round.source AS source
ORDER BY company.name, date;

// name: funding_history
// description: A company's rounds in date order: the round's amount (counted once), its investors and leads
// param company: entity          -- any name of the company
// param as_of: date = null       -- leave out rounds dated after this
// example: company=zhipu-ai -- Zhipu AI's rounds, each amount counted once
// amount_usd is the Round's own (never a sum over its investors), lead lists the investors marked
// as leading it (empty where the source says nothing about leads).
MATCH (company:Entity {id: $company})-[:RAISED]->(round:Round)
WHERE $as_of IS NULL OR (round.date IS NULL OR left(round.date, size($as_of)) <= $as_of) AND coalesce(round.until + '~' > $as_of + '~', true)
OPTIONAL MATCH (investor:Entity)-[r:INVESTED_IN {round: round.id}]->(company)
WITH round, investor, r ORDER BY investor.name
WITH round, collect(DISTINCT investor) AS investors, collect(DISTINCT CASE WHEN r.led THEN investor END) AS lead
RETURN coalesce(round.name, round.id) AS round, round.date AS date, round.amount_usd AS amount_usd,
       investors, lead, round.source AS source
ORDER BY date, round;
