// dealgraph named queries: who matters in the co-investment network.
//
// These read the scores that `dealgraph analyze` writes onto investors (graph/analytics.py):
// degree (distinct co-investors), weighted_degree (co-investors counted once per company backed
// together), pagerank, betweenness and community (0 is the largest). Before any analysis they
// return nothing; after a later load or import, commands warn that the scores are stale.
//
// Every query starts with a header of `//` lines and ends with `;`:
//   // name: NAME                          run it: dealgraph query NAME -p key=value ...
//   // description: one line
//   // param KEY: TYPE [= DEFAULT]  -- help (a param without a default is required)
//   // example: KEY=VALUE ... -- help  (optional) a worked example from the seed: ids, not names
// TYPE is entity (any name or alias, resolved to the entity's id before the query runs), int,
// or a choice (words separated by |, such as pagerank|degree). Queries take user values only as $KEY.
// In Neo4j Browser, first run the `:param` lines that `dealgraph query NAME --browser -p ...`
// prints, then paste the query unchanged.

// name: central_investors
// description: The most central investors of the co-investment network (run `dealgraph analyze` first)
// param by: pagerank|degree|weighted_degree|betweenness = pagerank  -- the score to rank by
// param limit: int = 25          -- at most this many investors
// example: by=pagerank limit=10 -- the ten best-connected co-investors (after `dealgraph analyze`)
MATCH (investor:Entity)
WHERE investor.pagerank IS NOT NULL
RETURN investor.name AS name, investor.kind AS kind, investor.degree AS degree,
       investor.weighted_degree AS weighted_degree, investor.pagerank AS pagerank,
       investor.betweenness AS betweenness, investor.community AS community
ORDER BY investor[$by] DESC, investor.pagerank DESC, name
LIMIT $limit;

// name: communities
// description: Investor communities, largest first: size, most central members, companies most members back
// param limit: int = 20          -- at most this many communities
// example: limit=5 -- the five largest packs of co-investors (after `dealgraph analyze`)
// Companies are counted as of the analysis's own --as-of date, like its network.
CALL () {
  MATCH (analysis:Analysis)
  RETURN analysis.as_of AS as_of ORDER BY analysis.ran_at DESC LIMIT 1
}
MATCH (member:Entity)
WHERE member.community IS NOT NULL
WITH as_of, member ORDER BY member.pagerank DESC, member.name
WITH as_of, member.community AS community, collect(member) AS members
WITH as_of, community, members, size(members) AS size
ORDER BY size DESC, community
LIMIT $limit
CALL (as_of, members) {
  UNWIND members AS member
  MATCH (member)-[r:INVESTED_IN]->(company:Entity)
  WHERE as_of IS NULL OR r.date IS NULL OR left(r.date, size(as_of)) <= as_of
  WITH company, count(DISTINCT member) AS backers
  ORDER BY backers DESC, company.name
  LIMIT 5
  RETURN collect(company.name + ' (' + backers + ')') AS companies
}
RETURN community, size, [m IN members[..5] | m.name] AS most_central, companies AS most_backed
ORDER BY size DESC, community;

// name: community_of
// description: An investor's community, its members ranked by PageRank
// param entity: entity           -- any name of the investor
// param limit: int = 50          -- at most this many members
// example: entity=alibaba limit=10 -- who is in Alibaba Group's pack (after `dealgraph analyze`)
MATCH (investor:Entity {id: $entity})
WHERE investor.community IS NOT NULL
MATCH (member:Entity {community: investor.community})
RETURN member.community AS community, member.name AS name, member.kind AS kind,
       member.pagerank AS pagerank, member.degree AS degree, member.weighted_degree AS weighted_degree,
       member.betweenness AS betweenness, member.id = investor.id AS is_investor
ORDER BY pagerank DESC, name
LIMIT $limit;
