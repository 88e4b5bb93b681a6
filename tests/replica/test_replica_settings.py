"""replica and max_staleness: declared once (settings.py), so connect() and stripe:// URLs
take them alike; max_staleness=None is a value of its own ("never"), not the default."""

from __future__ import annotations

import pytest

import stripe_dbapi
from stripe_dbapi.settings import BY_NAME

pytest.importorskip("sqlalchemy")
from sqlalchemy.engine import make_url  # noqa: E402

from sqlalchemy_dialect.url import connect_kwargs  # noqa: E402

KW = {"api_key": "sk_test_replica", "base_url": "http://127.0.0.1:9"}


def test_url_parameters_give_the_replica_and_its_staleness():
    url = make_url("stripe://sk_test_x@?replica=/tmp/acct.sqlite&max_staleness=0")
    assert connect_kwargs(url) == {"api_key": "sk_test_x", "replica": "/tmp/acct.sqlite",
                                   "max_staleness": 0.0}
    never = make_url("stripe://sk_test_x@?replica=/tmp/acct.sqlite&max_staleness=none")
    assert connect_kwargs(never)["max_staleness"] is None


def test_max_staleness_defaults_to_a_minute_and_none_means_never(tmp_path):
    path = str(tmp_path / "r.sqlite")
    with stripe_dbapi.connect(**KW, replica=path) as conn:
        assert conn.replica.max_staleness == 60.0
    with stripe_dbapi.connect(**KW, replica=path, max_staleness=None) as conn:
        assert conn.replica.max_staleness is None
    assert BY_NAME["max_staleness"].problem(None) is None


def test_a_negative_staleness_is_refused_naming_it(tmp_path):
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match="max_staleness must be a number of seconds >= 0, not -1"):
        stripe_dbapi.connect(**KW, replica=str(tmp_path / "r.sqlite"), max_staleness=-1)


def test_a_staleness_that_is_not_a_number_is_refused_naming_it(tmp_path):
    # NaN passed ">= 0" and then made every query sync, while sys_replica showed NULL
    # ("never"); from a URL (max_staleness=nan) as from connect().
    url = make_url("stripe://sk_test_x@?replica=/tmp/acct.sqlite&max_staleness=nan")
    for value in (float("nan"), connect_kwargs(url)["max_staleness"]):
        with pytest.raises(stripe_dbapi.InterfaceError,
                           match="max_staleness must be a number of seconds >= 0, not nan"):
            stripe_dbapi.connect(**KW, replica=str(tmp_path / "r.sqlite"), max_staleness=value)


def test_max_staleness_without_a_replica_is_refused_naming_both():
    # It bounded nothing and was dropped in silence: a forgotten or misspelt replica
    # (?replca=...&max_staleness=0) read Stripe live on every query.
    url = make_url("stripe://sk_test_x@?max_staleness=0")
    for value in (0, None, connect_kwargs(url)["max_staleness"]):
        with pytest.raises(stripe_dbapi.InterfaceError,
                           match="max_staleness applies to a local replica: pass replica="):
            stripe_dbapi.connect(**KW, max_staleness=value)
    with stripe_dbapi.connect(**KW) as conn:  # the default alone is no mistake
        assert conn.replica is None


def test_a_saved_connection_may_keep_a_replica_that_never_syncs_by_itself(
        connections_file, tmp_path, monkeypatch):
    # TOML has no null: "none" stands for None, as in a stripe:// URL. It was refused
    # ("must be int or float"), so stripe-sql -c NAME could not have max_staleness=None.
    monkeypatch.setenv("REPLICA_TEST_KEY", KW["api_key"])
    path = str(tmp_path / "r.sqlite")
    stripe_dbapi.save_connection("cached", api_key_env="REPLICA_TEST_KEY",
                                 base_url=KW["base_url"], replica=path, max_staleness="none")
    assert 'max_staleness = "none"' in connections_file.read_text()
    with stripe_dbapi.connect(connection="cached") as conn:
        assert conn.replica.max_staleness is None
    connections_file.write_text(connections_file.read_text().replace('"none"', '"soon"'))
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match="max_staleness must be int or float or 'none', not 'soon'"):
        stripe_dbapi.connect(connection="cached")


def test_an_in_memory_replica_is_refused_naming_why(tmp_path, monkeypatch):
    # It made a file named ":memory:" in the working directory, holding the account's data.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match="replica must be a file path, not ':memory:'"):
        stripe_dbapi.connect(**KW, replica=":memory:")
    assert list(tmp_path.iterdir()) == []


def test_a_replica_file_that_cannot_be_opened_is_an_operational_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(stripe_dbapi.OperationalError, match="cannot open the replica file"):
        stripe_dbapi.connect(**KW, replica=str(blocker / "acct.sqlite"))


def test_the_home_directory_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with stripe_dbapi.connect(**KW, replica="~/cache/acct.sqlite") as conn:
        assert conn.replica.path == str(tmp_path / "cache" / "acct.sqlite")
    assert (tmp_path / "cache" / "acct.sqlite").exists()


def test_a_new_replica_file_is_readable_by_its_owner_alone(tmp_path):
    path = tmp_path / "new" / "acct.sqlite"
    with stripe_dbapi.connect(**KW, replica=str(path)):
        pass
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700


def test_test_mode_and_live_mode_keys_have_partitions_of_their_own(tmp_path):
    path = str(tmp_path / "r.sqlite")
    partitions = set()
    for key in ("sk_test_abc", "rk_test_abc", "sk_live_abc", "rk_live_abc"):
        with stripe_dbapi.connect(api_key=key, base_url="http://127.0.0.1:9", replica=path,
                                  account_id="acct_1") as conn:
            partitions.add(conn.replica.account)
    assert partitions == {"acct_1/test", "acct_1/live"}
