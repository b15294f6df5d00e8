"""Errors as the one line a user reads: located input errors (graph.errors), driver failures
explained (graph.connection.explain), the CLI's folding of a message into one line, and the
schema's refusal of labels and types it does not know."""
from __future__ import annotations

import pytest
from neo4j import exceptions as ne

from graph.cli import _one_line
from graph.connection import Settings, explain
from graph.errors import DealgraphError, InputError
from graph.schema import ENTITY_KINDS, FACT_TYPES, check_label, check_type


@pytest.mark.parametrize("where, line", [
    ({"file": "data.yaml", "line": 12, "field": "name"}, "data.yaml:12: name: too long"),
    ({"file": "data.yaml", "line": 12}, "data.yaml:12: too long"),
    ({"file": "data.yaml", "field": "name"}, "data.yaml: name: too long"),
    ({"file": "data.yaml"}, "data.yaml: too long"),
    ({"field": "name"}, "name: too long"),
    ({"line": 12}, "too long"),                      # a line without its file names nothing
    ({}, "too long"),
    ({"file": "a.csv", "line": 0, "field": ""}, "a.csv:0: too long"),
])
def test_an_input_error_reads_file_line_field_message(where, line):
    error = InputError("too long", **where)
    assert str(error) == line
    assert (error.file, error.line, error.field, error.reason) == \
        (where.get("file"), where.get("line"), where.get("field"), "too long")


def test_every_user_error_is_a_dealgraph_error_that_exits_1():
    assert isinstance(InputError("x"), DealgraphError)
    assert DealgraphError.exit_code == InputError.exit_code == 1


@pytest.mark.parametrize("message, line", [
    ("one line", "one line"),
    ("first\nsecond\tthird  fourth", "first second third fourth"),
    ("  padded \n", "padded"),
    ("x" * 600, "x" * 600),
])
def test_the_cli_folds_a_message_into_one_line(message, line):
    assert _one_line(message) == line


def test_a_huge_message_keeps_its_head_and_tail():
    """A 100 kB name in an error: the line stays readable and still shows how it ends."""
    message = "no entity is named '" + "A" * 100_000 + "'; did you mean Alibaba Group (alibaba)?"
    line = _one_line(message)
    assert len(line) == 600 - 160 + len(" [...] ") + 150
    assert line.startswith("no entity is named 'AAAA") and line.endswith("did you mean Alibaba Group (alibaba)?")
    assert " [...] " in line and _one_line("y" * 601) != "y" * 601


@pytest.mark.bad_input
@pytest.mark.parametrize("label", ["Banana", "company", "Entity:Company", "Company`) DETACH DELETE n //", ""])
def test_a_label_the_schema_does_not_know_is_refused(label):
    with pytest.raises(DealgraphError) as info:
        check_label(label)
    assert str(info.value) == f"unknown kind {label!r}: expected one of {', '.join(ENTITY_KINDS)}"


@pytest.mark.bad_input
@pytest.mark.parametrize("rel_type", ["LIKES", "invested_in", "INVESTED_IN|ALIAS_OF",
                                      "INVESTED_IN`]->() DETACH DELETE n //"])
def test_a_relationship_type_the_schema_does_not_know_is_refused(rel_type):
    with pytest.raises(DealgraphError) as info:
        check_type(rel_type)
    assert str(info.value) == f"unknown relationship type {rel_type!r}: expected one of {', '.join(FACT_TYPES)}"


def test_known_labels_and_types_pass_unchanged():
    assert [check_label(k) for k in ENTITY_KINDS] == list(ENTITY_KINDS)
    assert [check_type(t) for t in FACT_TYPES] == list(FACT_TYPES)


# -- driver failures, explained ----------------------------------------------------------------------
SETTINGS = Settings(uri="bolt://db.example:7687", username="reader", password="s3cret", database="deals", timeout=2.5)


def server_error(code: str, message: str = "the server's words") -> ne.Neo4jError:
    """An error as the driver makes it from a server's FAILURE message."""
    return ne.Neo4jError._hydrate_neo4j(code=code, message=message)


@pytest.mark.parametrize("exc, line", [
    (ne.AuthError("unauthorized"),
     "Neo4j at bolt://db.example:7687 refused the credentials of user 'reader': check NEO4J_USERNAME / "
     "NEO4J_PASSWORD (or --user / --password)"),
    (ne.ServiceUnavailable("Couldn't connect to db.example:7687"),
     "cannot reach Neo4j at bolt://db.example:7687: is it running? (start the local one with `dealgraph neo4j start`)"),
    (ne.ServiceUnavailable("Connection to db.example:7687 closed without handshake response"),
     "bolt://db.example:7687 accepted the connection but did not answer as Neo4j within 2.5s: is it a Bolt port "
     "of a healthy server? (DEALGRAPH_TIMEOUT sets how long to wait)"),
    (ne.ServiceUnavailable("Timed out trying to establish connection"), "did not answer as Neo4j within 2.5s"),
    (ne.ConfigurationError("unsupported scheme"), "bad Neo4j connection settings (bolt://db.example:7687): "
                                                  "unsupported scheme"),
    (server_error("Neo.ClientError.Database.DatabaseNotFound"),
     "Neo4j at bolt://db.example:7687 has no database 'deals': check NEO4J_DATABASE (or --database)"),
    (server_error("Neo.TransientError.General.MemoryPoolOutOfMemoryError"),
     "ran out of the memory it allows one transaction, so nothing was written"),
    (server_error("Neo.ClientError.Statement.AccessMode", "Writing in read access mode not allowed.\nAt line 1"),
     "Neo4j said Neo.ClientError.Statement.AccessMode: Writing in read access mode not allowed."),
    (ne.SessionExpired("gone away\nsecond line"), "talking to Neo4j at bolt://db.example:7687 failed: gone away"),
    (ConnectionResetError(), "talking to Neo4j at bolt://db.example:7687 failed: ConnectionResetError"),
    (ValueError("something else"), "something else"),
])
def test_a_driver_failure_is_one_line_that_says_what_to_do(exc, line):
    text = explain(exc, SETTINGS)
    assert line in text and "\n" not in text
    assert "s3cret" not in text


def test_without_settings_the_line_still_reads():
    assert explain(ne.AuthError("x")) == ("Neo4j at Neo4j refused the credentials of user 'the user': check "
                                         "NEO4J_USERNAME / NEO4J_PASSWORD (or --user / --password)")
    assert explain(ne.ServiceUnavailable("handshake failed")).startswith(
        "Neo4j accepted the connection but did not answer as Neo4j: is it")
    assert explain(server_error("Neo.ClientError.Database.DatabaseNotFound")).endswith(
        "has no database '?': check NEO4J_DATABASE (or --database)")
