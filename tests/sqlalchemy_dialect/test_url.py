import inspect

import pytest
import sqlalchemy
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import ArgumentError

import stripe_dbapi
from sqlalchemy_dialect.url import connect_kwargs, url_options
from stripe_dbapi.settings import SETTINGS


def kwargs_for(url: str) -> dict:
    return connect_kwargs(make_url(url))


def test_bare_url_leaves_the_key_to_the_environment():
    assert kwargs_for("stripe://") == {}


def test_key_as_user_name():
    assert kwargs_for("stripe://sk_test_abc@") == {"api_key": "sk_test_abc"}


def test_key_as_password_wins_over_user_name():
    assert kwargs_for("stripe://:sk_test_abc@") == {"api_key": "sk_test_abc"}
    assert kwargs_for("stripe://someone:sk_test_abc@") == {"api_key": "sk_test_abc"}


def test_every_text_option_of_connect_is_a_query_parameter_with_its_type():
    kwargs = kwargs_for(
        "stripe://sk_test_abc@?base_url=http://127.0.0.1:12111&account_id=acct_1"
        "&api_version=2024-06-20&timeout=2.5&max_retries=0&readonly=true"
        "&allow_full_table_writes=yes&use_search=false&max_concurrency=3"
    )
    assert kwargs == {
        "api_key": "sk_test_abc",
        "base_url": "http://127.0.0.1:12111",
        "account_id": "acct_1",
        "api_version": "2024-06-20",
        "timeout": 2.5,
        "max_retries": 0,
        "readonly": True,
        "allow_full_table_writes": True,
        "use_search": False,
        "max_concurrency": 3,
    }


def test_options_are_the_declared_text_settings_but_the_secrets():
    declared = {s.name for s in SETTINGS}
    assert set(url_options()) == declared - {"api_key", "proxy_password", "transport", "progress"}
    assert set(inspect.signature(stripe_dbapi.connect).parameters) == declared


def test_unknown_option_names_it_and_the_closest_valid_one():
    with pytest.raises(ArgumentError) as info:
        kwargs_for("stripe://?readonlly=true")
    message = str(info.value)
    assert "'readonlly'" in message and "did you mean: readonly?" in message


def test_bad_value_names_the_option():
    with pytest.raises(ArgumentError, match="'readonly' has an invalid value 'maybe'"):
        kwargs_for("stripe://?readonly=maybe")
    with pytest.raises(ArgumentError, match="'max_retries'"):
        kwargs_for("stripe://?max_retries=many")


def test_repeated_option_is_refused():
    with pytest.raises(ArgumentError, match="more than once"):
        kwargs_for("stripe://?readonly=true&readonly=false")


def test_api_key_in_query_string_is_refused_without_echoing_it():
    with pytest.raises(ArgumentError) as info:
        kwargs_for("stripe://?api_key=sk_test_secret")
    assert "user part" in str(info.value)
    assert "sk_test_secret" not in str(info.value)


def test_object_options_point_to_connect_args():
    with pytest.raises(ArgumentError, match="connect_args"):
        kwargs_for("stripe://?transport=x")


def test_host_is_refused_with_the_base_url_hint():
    with pytest.raises(ArgumentError, match="base_url"):
        kwargs_for("stripe://sk_test_abc@127.0.0.1:12111")


def test_create_engine_reports_bad_options_before_connecting():
    with pytest.raises(ArgumentError, match="did you mean: base_url"):
        sqlalchemy.create_engine("stripe://sk_test_abc@?baseurl=http://127.0.0.1:1")


def test_engine_passes_url_options_and_connect_args_to_the_driver(fake_driver):
    engine = sqlalchemy.create_engine(
        "stripe://sk_test_abc@?readonly=true&base_url=http://127.0.0.1:9",
        module=fake_driver,
        connect_args={"transport": "T"},
    )
    with engine.connect():
        pass
    assert fake_driver.connections[0].kwargs == {
        "api_key": "sk_test_abc",
        "readonly": True,
        "base_url": "http://127.0.0.1:9",
        "transport": "T",
    }


@pytest.mark.parametrize("url", ["stripe://:sk_test_abc@", "stripe://sk_test_abc@?readonly=1"])
def test_key_stays_out_of_the_engines_repr_and_still_connects(fake_driver, url):
    engine = sqlalchemy.create_engine(url, module=fake_driver)
    assert "sk_test_abc" not in repr(engine)
    assert "sk_test_abc" not in engine.url.render_as_string(hide_password=True)
    with engine.connect():
        pass
    assert fake_driver.connections[-1].kwargs["api_key"] == "sk_test_abc"


def test_unusable_option_value_is_refused_naming_it_on_connect():
    import sqlalchemy

    import stripe_dbapi

    engine = sqlalchemy.create_engine("stripe://sk_test_x@?base_url=http://127.0.0.1:9&max_concurrency=0")
    with pytest.raises(sqlalchemy.exc.DBAPIError) as raised:
        engine.connect()
    assert isinstance(raised.value.orig, stripe_dbapi.InterfaceError)
    assert "max_concurrency" in str(raised.value.orig)
    engine.dispose()


def test_pacing_options_are_query_parameters_with_their_types():
    kwargs = kwargs_for(
        "stripe://sk_test_abc@?max_requests_per_second=12.5&max_endpoint_requests_per_second=10"
        "&max_search_requests_per_second=4&pace_per_account=true"
    )
    assert kwargs == {
        "api_key": "sk_test_abc",
        "max_requests_per_second": 12.5,
        "max_endpoint_requests_per_second": 10.0,
        "max_search_requests_per_second": 4.0,
        "pace_per_account": True,
    }
    with pytest.raises(ArgumentError, match="max_requests_per_second"):
        kwargs_for("stripe://sk_test_abc@?max_requests_per_second=fast")
