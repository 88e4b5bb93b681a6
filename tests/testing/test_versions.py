"""versions.py: parameters the request's Stripe-Version still accepts (payment_method_types)."""

from __future__ import annotations

import pytest

OLD = {"Stripe-Version": "2024-06-20"}
INTENT = {"amount": 1000, "currency": "usd"}


def test_the_pinned_version_refuses_payment_method_types_as_stripe_does(api, error_of):
    # Removed as a writable parameter in 2026-09-30.endive; the catalog is 2026-10-28.endive.
    for path, data in (("/v1/payment_intents", INTENT), ("/v1/setup_intents", {})):
        answer = api.post(path, data={**data, "payment_method_types[]": ["card"]})
        assert answer.status_code == 400
        error = error_of(answer)
        assert (error["code"], error["param"]) == ("payment_method_types_no_longer_supported",
                                                   "payment_method_types")
        assert "allowed_payment_method_types" in error["message"]
    assert api.get("/v1/payment_intents").json()["data"] == []  # nothing was created


@pytest.mark.parametrize("version", ["2024-06-20", "2026-08-26.dahlia"])
def test_older_versions_accept_payment_method_types_on_create_and_update(api, version):
    headers = {"Stripe-Version": version}
    created = api.post("/v1/payment_intents", data={**INTENT, "payment_method_types[]": ["card", "link"]},
                       headers=headers)
    assert created.status_code == 200 and created.json()["payment_method_types"] == ["card", "link"]
    intent = created.json()["id"]
    updated = api.post(f"/v1/payment_intents/{intent}", data={"payment_method_types[0]": "link"},
                       headers=headers)
    assert updated.json()["payment_method_types"] == ["link"]
    assert api.get(f"/v1/payment_intents/{intent}").json()["payment_method_types"] == ["link"]
    setup = api.post("/v1/setup_intents", data={"payment_method_types[]": "us_bank_account"}, headers=headers)
    assert setup.json()["payment_method_types"] == ["us_bank_account"]


def test_payment_method_types_must_be_types_and_not_beside_allowed_ones(api, error_of):
    both = api.post("/v1/payment_intents", headers=OLD, data={
        **INTENT, "payment_method_types[]": ["card"], "allowed_payment_method_types[]": ["card"]})
    assert both.status_code == 400 and error_of(both)["param"] == "allowed_payment_method_types"
    empty = api.post("/v1/payment_intents", headers=OLD, data={**INTENT, "payment_method_types": ""})
    assert empty.status_code == 400 and error_of(empty)["param"] == "payment_method_types"


def test_allowed_payment_method_types_set_the_intent_s_types(api):
    created = api.post("/v1/payment_intents",
                       data={**INTENT, "allowed_payment_method_types[]": ["card", "us_bank_account"]})
    assert created.json()["payment_method_types"] == ["card", "us_bank_account"]
    updated = api.post(f"/v1/payment_intents/{created.json()['id']}",
                       data={"allowed_payment_method_types[]": ["card"]})
    assert updated.json()["payment_method_types"] == ["card"]
