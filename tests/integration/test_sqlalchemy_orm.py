"""The ORM over stripe:// end to end: declarative models on customers, products
and prices; ids from Stripe through RETURNING; get, pushed-down queries,
updates and deletes through the session; automap over reflected tables.

Customers and products run on the emulator and on localstripe (the independent
fake); prices only on the emulator, because localstripe has no prices.
Pushdown is asserted from the driver's own request log, which exists for both.
"""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest
import sqlalchemy
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    select,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.automap import automap_base
from sqlalchemy.orm import Session, declarative_base, relationship
from sqlalchemy.schema import FetchedValue

import stripe_dbapi

API_KEY = "sk_test_123"

Base = declarative_base()


def stripe_id():
    """Stripe assigns ids: the server provides the value, RETURNING brings it back."""
    return Column(String, primary_key=True, server_default=FetchedValue())


class Customer(Base):
    __tablename__ = "customers"
    id = stripe_id()
    email = Column(String)
    name = Column(String)
    # "metadata" is reserved on declarative classes; the column keeps its name.
    metadata_ = Column("metadata", JSON)
    created = Column(DateTime(timezone=True), server_default=FetchedValue())


class Product(Base):
    __tablename__ = "products"
    id = stripe_id()
    name = Column(String)
    active = Column(Boolean, server_default=FetchedValue())


class Price(Base):
    __tablename__ = "prices"
    id = stripe_id()
    product = Column(String, ForeignKey("products.id"))
    unit_amount = Column(Integer)
    currency = Column(String)
    active = Column(Boolean, server_default=FetchedValue())
    product_object = relationship(Product)


def engine_for(base_url: str) -> sqlalchemy.engine.Engine:
    return sqlalchemy.create_engine(f"stripe://{API_KEY}@?base_url={base_url}")


def requests_of(session: Session):
    """The driver's log of the HTTP requests its connection sent."""
    return session.connection().connection.client.request_log


def stripe_get(base_url: str, path: str) -> httpx.Response:
    """Read the server directly, bypassing the driver, to check what it holds."""
    return httpx.get(base_url + path, headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10)


@pytest.fixture(params=["emulator", "localstripe"])
def server_url(request) -> str:
    if request.param == "emulator":
        return request.getfixturevalue("fresh_emulator").base_url
    return request.getfixturevalue("localstripe_url")


def test_customer_lifecycle_through_the_session(server_url):
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    engine = engine_for(server_url)
    with Session(engine) as session:
        customer = Customer(email=email, name="Ada", metadata_={"tier": "gold"})
        session.add(customer)
        session.commit()
        customer_id = customer.id
    assert customer_id.startswith("cus_")
    assert stripe_get(server_url, f"/v1/customers/{customer_id}").json()["email"] == email

    with Session(engine) as session:
        fetched = session.get(Customer, customer_id)
        assert (fetched.email, fetched.name) == (email, "Ada")
        assert fetched.metadata_ == {"tier": "gold"}
        assert fetched.created.tzinfo is not None
        # id = ? is a retrieve, not a scan.
        assert [(r.method, r.path) for r in requests_of(session)][-1] == (
            "GET",
            f"/v1/customers/{customer_id}",
        )

    with Session(engine) as session:
        found = session.execute(select(Customer).where(Customer.email == email)).scalars().all()
        assert [c.id for c in found] == [customer_id]
        # The email filter went to Stripe (list parameter or Search), not a full scan.
        last = requests_of(session)[-1]
        assert last.path.startswith("/v1/customers")
        assert email in str(last.params)
        # The legacy Query API binds LIMIT after the filter: "WHERE email = ? LIMIT ?".
        assert session.query(Customer).filter_by(email=email).first().id == customer_id

    with Session(engine) as session:
        customer = session.get(Customer, customer_id)
        customer.name = "Ada Lovelace"
        session.commit()
    assert stripe_get(server_url, f"/v1/customers/{customer_id}").json()["name"] == "Ada Lovelace"

    with Session(engine) as session:
        session.delete(session.get(Customer, customer_id))
        session.commit()
    after = stripe_get(server_url, f"/v1/customers/{customer_id}")
    assert after.status_code == 404 or after.json().get("deleted") is True
    engine.dispose()


def test_replacing_metadata_leaves_stripe_with_exactly_the_new_dict(fresh_emulator):
    """Stripe merges metadata on update; the ORM sends SET metadata = <new dict>
    and then holds the new dict, so Stripe must hold exactly that too. (Emulator
    only: localstripe stores ``metadata[k]=`` as "" instead of removing the key.)"""
    server_url = fresh_emulator.base_url
    engine = engine_for(server_url)
    with Session(engine) as session:
        customer = Customer(name="Meta", metadata_={"tier": "gold", "old": "1"})
        session.add(customer)
        session.commit()
        customer_id = customer.id
    with Session(engine) as session:
        customer = session.get(Customer, customer_id)
        customer.metadata_ = {"tier": "silver", "new": "2"}
        session.commit()
    stored = stripe_get(server_url, f"/v1/customers/{customer_id}").json()
    assert stored["metadata"] == {"tier": "silver", "new": "2"}
    with Session(engine) as session:
        assert session.get(Customer, customer_id).metadata_ == {"tier": "silver", "new": "2"}
    engine.dispose()


def test_product_insert_gets_stripe_id_and_defaults(server_url):
    engine = engine_for(server_url)
    with Session(engine) as session:
        product = Product(name="Pro plan")
        session.add(product)
        session.commit()
        assert product.id.startswith("prod_")
        assert product.active is True  # filled in by Stripe, read back
        product_id = product.id
    with Session(engine) as session:
        assert session.get(Product, product_id).name == "Pro plan"
    engine.dispose()


def test_prices_relationship_and_no_delete(fresh_emulator):
    engine = engine_for(fresh_emulator.base_url)
    with Session(engine) as session:
        product = Product(name="Team")
        session.add(product)
        session.flush()
        price = Price(product=product.id, unit_amount=1500, currency="usd")
        session.add(price)
        session.commit()
        price_id = price.id
    assert price_id.startswith("price_")

    with Session(engine) as session:
        price = session.get(Price, price_id)
        assert (price.unit_amount, price.currency, price.active) == (1500, "usd", True)
        assert price.product_object.name == "Team"

        prices = session.execute(select(Price).where(Price.product == price.product)).scalars()
        assert [p.id for p in prices] == [price_id]

        # Stripe cannot delete prices: the driver says so, naming the alternative.
        session.delete(price)
        with pytest.raises(DBAPIError) as info:
            session.commit()
        assert isinstance(info.value.orig, stripe_dbapi.NotSupportedError)
        assert "active" in str(info.value.orig)
    engine.dispose()


def test_automap_finds_customer_to_charges(emulator):
    engine = engine_for(emulator.base_url)
    AutoBase = automap_base()
    AutoBase.prepare(autoload_with=engine)
    Charge = AutoBase.classes.charges
    AutoCustomer = AutoBase.classes.customers
    # charges.customer -> customers.id gives both directions.
    assert Charge.customers.property.mapper.class_ is AutoCustomer
    assert AutoCustomer.charges_collection.property.mapper.class_ is Charge

    with Session(engine) as session:
        charge = session.execute(
            select(Charge).where(Charge.customer.isnot(None)).limit(1)
        ).scalar_one()
        assert charge.customers.id == charge.customer
        assert charge in charge.customers.charges_collection
    engine.dispose()


def test_orm_filters_and_limits_reach_stripe(emulator):
    """What the emulator received: the ORM's WHERE and LIMIT became list parameters."""
    engine = engine_for(emulator.base_url)
    since = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    with Session(engine) as session:
        emulator.reset_requests()
        newest = (
            session.execute(select(Customer).where(Customer.created >= since).limit(3))
            .scalars()
            .all()
        )
        inactive = session.execute(select(Product).where(Product.active == False)).scalars().all()  # noqa: E712 (SQL: active = false)
    requests = [(r.method, r.path, r.params) for r in emulator.requests]
    assert len(newest) == 3 and all(c.created >= since for c in newest)
    assert all(p.active is False for p in inactive)
    assert requests == [
        ("GET", "/v1/customers", {"created": {"gte": str(int(since.timestamp()))}, "limit": "3"}),
        ("GET", "/v1/products", {"active": "false", "limit": "100"}),
    ]
    engine.dispose()


def test_many_objects_insert_update_delete(fresh_emulator):
    """Several objects per flush: one INSERT .. RETURNING each (ids matched to
    their objects), then executemany UPDATE and DELETE."""
    engine = engine_for(fresh_emulator.base_url)
    emails = [f"many-{i}@example.com" for i in range(3)]
    with Session(engine) as session:
        customers = [Customer(email=e, metadata_={"n": str(i)}) for i, e in enumerate(emails)]
        session.add_all(customers)
        session.commit()
        ids = {c.email: c.id for c in customers}
    assert len(set(ids.values())) == 3
    for email, customer_id in ids.items():
        assert (
            stripe_get(fresh_emulator.base_url, f"/v1/customers/{customer_id}").json()["email"]
            == email
        )

    with Session(engine) as session:
        for customer in session.execute(select(Customer)).scalars():
            customer.name = customer.email.split("@")[0].upper()
            customer.metadata_ = {"n": "changed"}
        session.commit()
    for email, customer_id in ids.items():
        stored = stripe_get(fresh_emulator.base_url, f"/v1/customers/{customer_id}").json()
        assert stored["name"] == email.split("@")[0].upper()
        assert stored["metadata"] == {"n": "changed"}

    with Session(engine) as session:
        for customer in session.execute(select(Customer)).scalars():
            session.delete(customer)
        session.commit()
        assert session.execute(select(Customer)).scalars().all() == []
        assert session.get(Customer, ids[emails[0]]) is None
    engine.dispose()


def test_readonly_url_refuses_writes_before_any_request(fresh_emulator):
    engine = sqlalchemy.create_engine(
        f"stripe://{API_KEY}@?base_url={fresh_emulator.base_url}&readonly=true"
    )
    with Session(engine) as session:
        session.add(Customer(email="nope@example.com"))
        fresh_emulator.reset_requests()
        with pytest.raises(DBAPIError) as info:
            session.commit()
    assert "read" in str(info.value.orig).lower()
    assert [r for r in fresh_emulator.requests if r.method == "POST"] == []
    engine.dispose()


def test_a_customer_with_no_fields_is_an_empty_create(fresh_emulator):
    """Stripe creates a blank customer from an empty POST; the ORM sends
    INSERT ... DEFAULT VALUES RETURNING for an object with no values set."""
    engine = engine_for(fresh_emulator.base_url)
    fresh_emulator.reset_requests()
    with Session(engine) as session:
        customer = Customer()
        session.add(customer)
        session.commit()
        customer_id = customer.id
    assert customer_id.startswith("cus_")
    posts = [r for r in fresh_emulator.requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/v1/customers"]
    assert stripe_get(fresh_emulator.base_url, f"/v1/customers/{customer_id}").json()["email"] is None
    engine.dispose()
