"""The generator's naming and typing rules (tools/gen_catalog.py) and the SDK
reader (tools/sdk_reader.py) on a tiny synthetic SDK."""

import ast
import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def _load(name):
    sys.path.insert(0, str(TOOLS))
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _load("gen_catalog")
reader = _load("sdk_reader")


@pytest.mark.parametrize(
    "path, name",
    [
        ("/v1/customers", "customers"),
        ("/v1/checkout/sessions", "checkout_sessions"),
        ("/v1/billing/meters", "billing_meters"),
        ("/v1/invoices/{invoice}/lines", "invoice_lines"),
        ("/v1/quotes/{quote}/computed_upfront_line_items", "quote_computed_upfront_line_items"),
        ("/v1/sources/{source}/source_transactions", "source_transactions"),
        ("/v1/customers/{customer}/sources", "cards"),  # override
        ("/v1/test_helpers/test_clocks", "test_clocks"),  # override
    ],
)
def test_table_names(path, name):
    assert gen.table_name(path) == name


@pytest.mark.parametrize(
    "method, obj, name",
    [
        ("pay", "Invoice", "PayInvoice"),
        ("finalize_invoice", "Invoice", "FinalizeInvoice"),  # object not repeated
        ("mark_uncollectible", "Invoice", "MarkUncollectibleInvoice"),  # issue 6's name
        ("verify_microdeposits", "PaymentIntent", "VerifyMicrodepositsPaymentIntent"),
        ("expire", "CheckoutSession", "ExpireCheckoutSession"),
        ("delete_discount", "Customer", "DeleteDiscountCustomer"),
        ("void_grant", "BillingCreditGrant", "VoidBillingCreditGrant"),
        ("return_inbound_transfer", "TreasuryInboundTransfer", "ReturnTreasuryInboundTransfer"),
        ("create", "AccountLink", "CreateAccountLink"),
    ],
)
def test_verb_object_takes_the_whole_method_as_the_verb(method, obj, name):
    assert gen.verb_object(method, obj) == name


@pytest.mark.parametrize(
    "method, obj, former",
    [
        ("mark_uncollectible", "Invoice", "MarkInvoiceUncollectible"),
        ("verify_microdeposits", "SetupIntent", "VerifySetupIntentMicrodeposits"),
        ("pay", "Invoice", "PayInvoice"),
    ],
)
def test_object_first_name_is_the_former_rule(method, obj, former):
    assert gen.object_first_name(method, obj) == former


@pytest.mark.parametrize(
    "name, doc, expected",
    [
        ("created", "", True),
        ("canceled_at", "", True),
        ("trial_end", "", True),
        ("available_on", "", True),
        ("redeem_by", "Date after which the coupon can no longer be redeemed.", True),
        ("foo", "Time at which the object was finalized. Measured in seconds since the Unix epoch.",
         True),
        ("exp_month", "Two-digit number representing the card's expiration month.", False),
        ("expires_after_seconds", "Time at which ... seconds", False),
        ("amount", "Amount in cents.", False),
        ("trial_period_days", "", False),
    ],
)  # fmt: skip
def test_timestamps(name, doc, expected):
    assert gen.is_timestamp(name, doc) is expected


def test_union_members_flatten_optional_strings_and_pipes():
    node = ast.parse("Optional[\"Literal['a', 'b']|Foo\"]", mode="eval").body
    members = [ast.unparse(m) for m in reader.union_members(node)]
    assert members == ["Literal['a', 'b']", "Foo", "None"]


@pytest.fixture
def tiny_sdk(tmp_path):
    root = tmp_path / "stripe"
    root.mkdir()
    (root / "_api_version.py").write_text('class _ApiVersion:\n    CURRENT = "2099-01-01.x"\n')
    (root / "_thing.py").write_text(
        textwrap.dedent(
            '''
            from typing_extensions import TYPE_CHECKING
            if TYPE_CHECKING:
                from stripe._other import Other as OtherAlias

            class Thing:
                class Address:
                    class Geo:
                        lat: float
                    country: str
                    """Two-letter country code."""
                    geo: Geo
                address: Address
                """The thing's address."""
                other: "OtherAlias"
            '''
        )
    )
    (root / "_other.py").write_text("class Other:\n    x: int\n")
    return reader.SDK(root)


def test_resolves_inner_classes_and_aliased_imports(tiny_sdk):
    assert tiny_sdk.version() == "2099-01-01.x"
    module = tiny_sdk.module("stripe._thing")
    thing = tiny_sdk.resolve("Thing", module)
    address = tiny_sdk.resolve("Address", module, thing.chain)
    assert address.is_inner and address.key == ("stripe._thing", "Thing", "Address")
    geo = tiny_sdk.resolve("Geo", module, address.chain)  # from inside Address
    assert geo.key[-1] == "Geo"
    other = tiny_sdk.resolve("OtherAlias", module)  # TYPE_CHECKING import under an alias
    assert other.module.name == "stripe._other" and not other.is_inner
    assert tiny_sdk.resolve("Missing", module) is None


def test_class_fields_carry_docstrings(tiny_sdk):
    thing = tiny_sdk.resolve("Thing", tiny_sdk.module("stripe._thing"))
    fields = {f.name: f.doc for f in reader.class_fields(thing.node)}
    assert fields == {"address": "The thing's address.", "other": ""}
