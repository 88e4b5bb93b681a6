import pytest

from stripe_dbapi.exceptions import ProgrammingError
from stripe_dbapi.paths import fill_path, is_valid_id


def test_fills_every_placeholder():
    assert fill_path("/v1/customers/{customer}/sources/{id}", {"customer": "cus_1", "id": "card_2"}) == (
        "/v1/customers/cus_1/sources/card_2"
    )


def test_values_cannot_escape_their_segment():
    assert fill_path("/v1/customers/{id}", {"id": "../charges/ch_1"}) == "/v1/customers/..%2Fcharges%2Fch_1"


@pytest.mark.parametrize("bad", ["", " ", ".", "..", None])
def test_empty_and_dot_ids_are_refused(bad):
    assert not is_valid_id(bad)
    with pytest.raises(ProgrammingError, match="not a valid Stripe id"):
        fill_path("/v1/customers/{id}", {"id": bad})


def test_missing_value_is_named():
    with pytest.raises(ProgrammingError, match="customer"):
        fill_path("/v1/customers/{customer}/sources", {})
