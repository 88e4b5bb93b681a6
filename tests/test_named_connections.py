"""Named connections (stripe_dbapi/named.py): saved in a TOML file, opened by name,
the key given by reference, against the emulator."""

from __future__ import annotations

import stat
import sys
import types
import warnings

import pytest

import stripe_dbapi
from stripe_dbapi.named import check_name, config_path, dumps, resolve_key, tomllib

KEY = "sk_test_123"  # the emulator accepts any sk_test_ key


@pytest.fixture
def config(connections_file):
    return connections_file


def count_customers(conn) -> int:
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM customers")
    return cur.fetchone()[0]


def test_a_saved_connection_opens_by_name_with_its_key_from_the_environment(
    config, emulator_url, monkeypatch
):
    monkeypatch.setenv("STRIPE_FINANCE_KEY", KEY)
    path = stripe_dbapi.save_connection(
        "stripe-connection", description="Finance reporting", labels={"team": "finance"},
        api_key_env="STRIPE_FINANCE_KEY", base_url=emulator_url, account_id=None,
        readonly=True, max_retries=0,
    )
    assert path == config
    saved = tomllib.loads(config.read_text())["connections"]["stripe-connection"]
    assert saved == {
        "description": "Finance reporting", "labels": {"team": "finance"},
        "api_key_env": "STRIPE_FINANCE_KEY", "base_url": emulator_url,
        "readonly": True, "max_retries": 0,
    }
    with stripe_dbapi.connect(connection="stripe-connection") as conn:
        assert conn.settings.connection == "stripe-connection"
        assert conn.readonly is True and conn.settings.max_retries == 0
        assert count_customers(conn) > 0
        assert KEY not in repr(conn) and KEY not in repr(conn.settings)


def test_key_from_a_file_loses_one_trailing_newline(config, emulator_url, tmp_path):
    secret = tmp_path / "stripe-key"
    secret.write_text(KEY + "\n")
    stripe_dbapi.save_connection("from-file", api_key_file=str(secret), base_url=emulator_url)
    with stripe_dbapi.connect(connection="from-file") as conn:
        assert conn.settings.api_key == KEY
        assert count_customers(conn) > 0
    secret.write_text("abc\n\n")
    assert resolve_key("x", {"api_key_file": str(secret)}) == "abc\n"


def test_an_unset_variable_is_named_and_no_value_is_shown(config, monkeypatch):
    monkeypatch.setenv("OTHER_KEY", "sk_test_secretvalue")
    stripe_dbapi.save_connection("env-missing", api_key_env="STRIPE_MISSING_KEY")
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.connect(connection="env-missing")
    message = str(raised.value)
    assert "environment variable STRIPE_MISSING_KEY, which is not set" in message
    assert "secretvalue" not in message


def test_unreadable_key_file_is_named(config, tmp_path):
    missing = tmp_path / "nope"
    stripe_dbapi.save_connection("file-missing", api_key_file=str(missing))
    with pytest.raises(stripe_dbapi.InterfaceError, match=f"file {missing}, which cannot be read"):
        stripe_dbapi.connect(connection="file-missing")


def test_precedence_explicit_then_named_then_environment(config, emulator_url, monkeypatch):
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_fromenvironment")
    monkeypatch.setenv("NAMED_KEY", "sk_test_fromnamedconnection")
    stripe_dbapi.save_connection("layered", api_key_env="NAMED_KEY", base_url=emulator_url,
                                 readonly=True, timeout=5)
    with stripe_dbapi.connect(connection="layered", readonly=False) as conn:
        assert conn.readonly is False  # explicit beats the file
        assert conn.settings.timeout == 5  # the file beats the default
        assert conn.settings.api_key == "sk_test_fromnamedconnection"  # ... and the environment
    with stripe_dbapi.connect("sk_test_explicit", connection="layered") as conn:
        assert conn.settings.api_key == "sk_test_explicit"
    # An explicit key needs no reference: the unset variable does not stand in the way.
    monkeypatch.delenv("NAMED_KEY")
    with stripe_dbapi.connect(api_key=KEY, connection="layered") as conn:
        assert count_customers(conn) > 0
    # A connection with no key falls back to the environment.
    stripe_dbapi.save_connection("keyless", base_url=emulator_url)
    with stripe_dbapi.connect(connection="keyless") as conn:
        assert conn.settings.api_key == "sk_test_fromenvironment"


@pytest.mark.parametrize(
    "name, rule",
    [
        ("Stripe-connection", "must have lower-case letters only"),
        ("stripe_connection", "may hold only letters, numbers and hyphens"),
        ("stripe.connection", "may hold only letters, numbers and hyphens"),
        ("1-connection", "must begin with a letter"),
        ("-connection", "must begin with a letter"),
        ("connection-", "must end with a letter or a number"),
        ("a" * 50, "is 50 characters long; it must have at most 49"),
        ("", "non-empty string"),
    ],
)
def test_bad_names_say_which_rule_they_break(config, name, rule):
    with pytest.raises(stripe_dbapi.InterfaceError, match=rule):
        stripe_dbapi.connect(connection=name)
    with pytest.raises(stripe_dbapi.InterfaceError, match=rule):
        stripe_dbapi.save_connection(name, base_url="http://x")
    assert not config.exists()


@pytest.mark.parametrize("name", ["a", "a" * 49, "stripe-connection", "b2", "x-1-y"])
def test_good_names(name):
    assert check_name(name) == name


def test_the_file_is_private_even_when_it_was_not(config):
    stripe_dbapi.save_connection("first", base_url="http://127.0.0.1:9")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    config.chmod(0o644)
    stripe_dbapi.save_connection("second", base_url="http://127.0.0.1:9")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert set(tomllib.loads(config.read_text())["connections"]) == {"first", "second"}
    assert [p.name for p in config.parent.iterdir()] == ["connections.toml"]


def test_a_key_in_clear_is_refused_unless_asked_for_then_warned_about(config, emulator_url):
    with pytest.raises(stripe_dbapi.InterfaceError, match="store_key_in_clear=True") as raised:
        stripe_dbapi.save_connection("clear", api_key=KEY, base_url=emulator_url)
    assert KEY not in str(raised.value) and not config.exists()
    stripe_dbapi.save_connection("clear", api_key=KEY, base_url=emulator_url,
                                 store_key_in_clear=True)
    with pytest.warns(UserWarning, match="holds its API key in clear") as caught:
        conn = stripe_dbapi.connect(connection="clear")
    with conn:
        assert count_customers(conn) > 0
        assert KEY not in repr(conn) and KEY not in repr(conn.settings)
    assert all(KEY not in str(w.message) for w in caught)


def test_unknown_setting_in_the_file_names_the_nearest(config):
    config.parent.mkdir()
    config.write_text('[connections.typo]\ntimout = 5\n')
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match="unknown setting 'timout' in connection 'typo'.*did you mean: timeout"):
        stripe_dbapi.connect(connection="typo")
    with pytest.raises(stripe_dbapi.InterfaceError, match="did you mean: api_key_env"):
        stripe_dbapi.save_connection("typo", api_key_environ="X")


@pytest.mark.parametrize(
    "body, problem",
    [
        ('timeout = "5"', "timeout must be int or float, not '5'"),
        ("readonly = 1", "readonly must be bool, not 1"),
        ("max_retries = true", "max_retries must be int, not True"),
        # A setting with a few allowed values lists them, as connect() does.
        ('verbosity = "5"', "verbosity must be one of 1, 2, 3, 4, 5, not '5'"),
        ("proxy_ssltype = 1", "proxy_ssltype must be one of 'AUTO', 'ALWAYS', 'NEVER', 'TUNNEL', "
                              "not 1"),
        ("api_key = 5", "api_key must be str, not <hidden>"),
        ("labels = { team = 1 }", "labels must be a table of strings"),
        ('api_key_env = "A"\napi_key_file = "/k"', "gives its API key more than once"),
    ],
)
def test_values_of_the_wrong_type_are_named(config, body, problem):
    config.parent.mkdir()
    config.write_text(f"[connections.typed]\n{body}\n")
    with pytest.raises(stripe_dbapi.InterfaceError, match=problem.replace("(", r"\(")):
        stripe_dbapi.connect(connection="typed")


def test_values_are_checked_as_connect_checks_them(config):
    with pytest.raises(stripe_dbapi.InterfaceError, match="max_concurrency must be an integer >= 1"):
        stripe_dbapi.save_connection("bounds", max_concurrency=0)


@pytest.mark.parametrize(
    "settings, problem",
    [
        # A password inside the URL would be written to the file in clear, unwarned.
        ({"proxy_url": "http://svc:pw-Saved-42@proxy.internal:3128"},
         "proxy_url 'http://<user>@proxy.internal:3128' holds credentials"),
        ({"proxy_url": "http://proxy.internal:3128/squid"},
         "proxy_url 'http://proxy.internal:3128/squid' has a path, query or fragment"),
        ({"proxy_user": "svc", "proxy_auth_scheme": "BASIC", "proxy_password_env": "PW"},
         "proxy_user is given but no proxy_url"),
        ({"proxy_url": "http://proxy.internal:3128", "proxy_auth_scheme": "DIGEST",
          "proxy_user": "svc"}, "proxy_auth_scheme 'DIGEST' needs proxy_password"),
    ],
)
def test_proxy_settings_that_connect_would_refuse_are_not_saved(config, settings, problem):
    with pytest.raises(stripe_dbapi.InterfaceError) as raised:
        stripe_dbapi.save_connection("proxied", api_key_env="STRIPE_KEY", **settings)
    assert str(raised.value).startswith(f"connection 'proxied': {problem}")
    assert "pw-Saved-42" not in str(raised.value) and not config.exists()


def test_a_proxy_password_by_reference_is_enough_to_save(config):
    stripe_dbapi.save_connection("proxied", api_key_env="STRIPE_KEY",
                                 proxy_url="http://proxy.internal:3128",
                                 proxy_auth_scheme="DIGEST", proxy_user="svc",
                                 proxy_password_env="PROXY_PASSWORD")
    saved = tomllib.loads(config.read_text())["connections"]["proxied"]
    assert saved["proxy_password_env"] == "PROXY_PASSWORD" and "proxy_password" not in saved


def test_unknown_connection_lists_the_saved_ones(config):
    stripe_dbapi.save_connection("finance", base_url="http://127.0.0.1:9")
    with pytest.raises(stripe_dbapi.InterfaceError,
                       match=r"no connection named 'financ'.*did you mean: finance\?.*saved: finance"):
        stripe_dbapi.connect(connection="financ")


def test_keyring_without_the_package_says_how_to_install_it(config, monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    stripe_dbapi.save_connection("ring", api_key_keyring="stripe")
    with pytest.raises(stripe_dbapi.InterfaceError, match=r"pip install 'stripe-dbapi\[keyring\]'"):
        stripe_dbapi.connect(connection="ring")


def test_keyring_is_asked_for_the_service_and_the_connection_name(config, monkeypatch,
                                                                   emulator_url):
    asked = []

    def get_password(service, user):
        asked.append((service, user))
        return KEY if user == "ring" else None

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    stripe_dbapi.save_connection("ring", api_key_keyring="stripe", base_url=emulator_url)
    with stripe_dbapi.connect(connection="ring") as conn:
        assert count_customers(conn) > 0
    assert asked == [("stripe", "ring")]
    stripe_dbapi.save_connection("other", api_key_keyring="stripe")
    with pytest.raises(stripe_dbapi.InterfaceError, match="no password for service 'stripe'"):
        stripe_dbapi.connect(connection="other")


def test_the_writer_round_trips_through_tomllib():
    connections = {
        "a-1": {"description": 'quote " back\\slash\nnewline é', "labels": {"team": "x", "odd key": "y"},
                "timeout": 2.5, "max_retries": 3, "readonly": False, "max_requests_per_second": 1e20},
    }
    assert tomllib.loads(dumps(connections)) == {"connections": connections}


def test_config_path_follows_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.delenv("STRIPE_DBAPI_CONFIG", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "stripe_dbapi" / "connections.toml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config_path() == tmp_path / ".config" / "stripe_dbapi" / "connections.toml"


def test_no_warning_when_the_key_is_referred_to(config, emulator_url, monkeypatch):
    monkeypatch.setenv("REF_KEY", KEY)
    stripe_dbapi.save_connection("quiet", api_key_env="REF_KEY", base_url=emulator_url)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stripe_dbapi.connect(connection="quiet").close()
