"""What the SQLAlchemy dialect costs: reflection and automap time over the whole
catalog (no requests), statement-cache compile savings, and the Stripe requests
each ORM operation sends on the emulator.

    python benchmarks/dialect_orm_costs.py
"""

from __future__ import annotations

import datetime as dt
import time

import sqlalchemy
from sqlalchemy import Boolean, Column, DateTime, MetaData, String, select
from sqlalchemy.ext.automap import automap_base
from sqlalchemy.orm import Session, declarative_base
from sqlalchemy.schema import FetchedValue

from stripe_dbapi.testing import Emulator

Base = declarative_base()


class Customer(Base):
    __tablename__ = "customers"
    id = Column(String, primary_key=True, server_default=FetchedValue())
    email = Column(String)
    name = Column(String)
    created = Column(DateTime(timezone=True), server_default=FetchedValue())


class Product(Base):
    __tablename__ = "products"
    id = Column(String, primary_key=True, server_default=FetchedValue())
    name = Column(String)
    active = Column(Boolean, server_default=FetchedValue())


def timed(label: str, fn, repeat: int = 1) -> None:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    elapsed = (time.perf_counter() - start) / repeat
    print(f"{label:<52} {elapsed * 1000:8.1f} ms")


def requests_for(emulator: Emulator, label: str, fn) -> None:
    emulator.reset_requests()
    fn()
    sent = [f"{r.method} {r.path}" for r in emulator.requests]
    print(f"{label:<52} {len(sent):3d} request(s)  {', '.join(sent)}")


def main() -> None:
    with Emulator(seed="demo") as emulator:
        engine = sqlalchemy.create_engine(f"stripe://sk_test_bench@?base_url={emulator.base_url}")
        with engine.connect():
            pass  # the first connection initialises the dialect
        print("-- reflection (catalog only)")
        emulator.reset_requests()
        timed("MetaData.reflect, every table", lambda: MetaData().reflect(engine))
        timed(
            "automap_base().prepare, every table",
            lambda: automap_base().prepare(autoload_with=engine),
        )
        print(f"{'requests sent by reflection':<52} {len(emulator.requests):3d}")

        print("-- compile, statement cache cold vs warm (1000 statements)")
        table = Customer.__table__

        def compile_fresh():
            for i in range(1000):
                select(table).where(table.c.email == f"x{i}").compile(engine)

        timed("compile without cache", compile_fresh)

        with engine.connect() as connection:
            statement = select(table.c.id).where(table.c.id == "cus_missing")
            connection.execute(statement).all()
            timed(
                "execute cached (id = missing -> one GET)",
                lambda: connection.execute(statement).all(),
                repeat=20,
            )

        print("-- Stripe requests per ORM operation")
        with Session(engine) as session:
            customer = Customer(email="bench@example.com", name="Bench")
            session.add(customer)
            requests_for(emulator, "session.add + commit (INSERT .. RETURNING)", session.commit)
            customer_id = customer.id
        with Session(engine) as session:
            requests_for(emulator, "session.get", lambda: session.get(Customer, customer_id))
            requests_for(
                emulator,
                "select where email = ?",
                lambda: session.execute(
                    select(Customer).where(Customer.email == "bench@example.com")
                ).all(),
            )
            since = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
            requests_for(
                emulator,
                "select where created >= ? limit 3",
                lambda: session.execute(
                    select(Customer).where(Customer.created >= since).limit(3)
                ).all(),
            )
            requests_for(
                emulator,
                "select products where active = false",
                lambda: session.execute(select(Product).where(Product.active == False)).all(),  # noqa: E712 (SQL: active = false)
            )
            session.get(Customer, customer_id).name = "Renamed"
            requests_for(emulator, "update via session (commit)", session.commit)
            session.delete(session.get(Customer, customer_id))
            requests_for(emulator, "delete via session (commit)", session.commit)
        engine.dispose()


if __name__ == "__main__":
    main()
