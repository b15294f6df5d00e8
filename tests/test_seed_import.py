"""`dealgraph import seed`: the seed format written in batches builds the graph `load` builds."""
from __future__ import annotations

import pytest
from helpers import assert_one_line_error, fingerprint


def test_batched_seed_equals_one_transaction_load(clean_db, cli):
    from graph.load import load_dataset
    from graph.schema import wipe

    load_dataset(clean_db)
    expected = fingerprint(clean_db, by_key=True)
    wipe(clean_db)
    result = cli("import", "seed", "--batch-size", "7")  # many small transactions
    assert result.code == 0, result
    assert fingerprint(clean_db, by_key=True) == expected
    assert clean_db.read("MATCH (i:Import) RETURN i.kind AS kind, i.status AS status") == [
        {"kind": "seed", "status": "complete"}]
    before = fingerprint(clean_db)
    assert cli("import", "seed").code == 0
    assert fingerprint(clean_db) == before


@pytest.mark.bad_input
def test_bad_dataset_is_refused_before_writing(clean_db, cli, tmp_path):
    import shutil

    from graph.paths import data_path

    bad = tmp_path / "seed"
    shutil.copytree(data_path("seed"), bad)
    entities = bad / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("kind: Company", "kind: Spaceship", 1),
                        encoding="utf-8")
    before = fingerprint(clean_db)
    result = cli("import", "seed", bad)
    assert_one_line_error(result, "entities.yaml:", "kind")
    assert fingerprint(clean_db) == before
