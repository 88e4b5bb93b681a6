"""SQLAlchemy dialect ``stripe://`` (and an Apache Superset engine spec) for stripe_dbapi.

    engine = create_engine("stripe://sk_test_...@")                  # or STRIPE_API_KEY
    engine = create_engine("stripe://:sk_test_...@?readonly=true")   # key as password
    engine = create_engine("stripe://?base_url=http://127.0.0.1:12111&account_id=acct_1")

Every keyword option of ``stripe_dbapi.connect()`` is a URL query parameter; a
misspelt one fails at ``create_engine`` naming the closest valid option. Objects
(an httpx ``transport``) go in ``connect_args``. SQLAlchemy 1.4 and 2.x.

Declaring models on Stripe's tables: Stripe assigns ids and fills fields such as
``created``, so mark them as server-provided; RETURNING brings them back::

    class Customer(Base):
        __tablename__ = "customers"
        id = Column(String, primary_key=True, server_default=FetchedValue())
        email = Column(String)
        metadata_ = Column("metadata", JSON)   # "metadata" is reserved by declarative
        created = Column(DateTime(timezone=True), server_default=FetchedValue())

Reflection (``MetaData.reflect``, automap, ``inspect``) reads the driver's
catalog and sends no request; reflected tables already mark server-filled columns.

Types: datetimes are aware UTC ``datetime`` objects both ways; JSON columns
(``metadata``, arrays, nested objects) are SQLAlchemy ``JSON``: dicts and lists
in Python, JSON text on the wire (``text()`` queries see the text). Statements
take effect in Stripe when they run: ``commit``/``rollback`` do nothing, and the
only isolation level is ``AUTOCOMMIT``.

Modules: ``dialect`` (StripeDialect), ``url`` (URL -> connect() arguments),
``compiler`` (SQL shaped for the driver's planner), ``types`` (type mapping),
``reflection`` (catalog -> SQLAlchemy reflection), ``superset`` (engine spec).
"""
