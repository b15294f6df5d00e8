"""One palette for every picture: the pyvis pages and the Neo4j Browser style sheet share it.

`cypher/dealgraph.grass` repeats these colours for Neo4j Browser; a test keeps the two equal.
"""
from __future__ import annotations

# kind -> (fill colour, border colour, pyvis shape)
KIND_STYLE = {
    "Company": ("#4C8EDA", "#2870C2", "dot"),
    "Fund": ("#F79767", "#F36924", "diamond"),
    "GovernmentBody": ("#DA7194", "#CC3C6C", "square"),
    "Person": ("#8DCC93", "#5DB665", "triangle"),
    "Model": ("#C990C0", "#B261A5", "star"),
    "Article": ("#A5ABB6", "#9AA1AC", "box"),
    "Round": ("#FFE081", "#9AA1AC", "hexagon"),
}
REL_COLOURS = {
    "INVESTED_IN": "#2E7D32",
    "COMPETES_WITH": "#C62828",
    "SANCTIONED": "#6A1B9A",
    "FINED": "#AD1457",
    "MANAGES": "#EF6C00",
    "FINANCES": "#F9A825",
    "PARTNERS_WITH": "#1565C0",
    "SUBSIDIARY_OF": "#546E7A",
    "DEVELOPS": "#8E24AA",
    "FOUNDED_BY": "#00838F",
    "LEADS": "#00695C",
}
DEFAULT_REL_COLOUR = "#9E9E9E"

# Communities of graph.analytics (0 is the largest): the twelve largest get a colour each, the rest grey.
COMMUNITY_COLOURS = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B",
                     "#E377C2", "#17BECF", "#BCBD22", "#393B79", "#AD494A", "#637939")


def community_colour(community) -> str:
    """The colour of a community number (grey beyond the twelfth, or for none)."""
    if isinstance(community, int) and 0 <= community < len(COMMUNITY_COLOURS):
        return COMMUNITY_COLOURS[community]
    return DEFAULT_REL_COLOUR
