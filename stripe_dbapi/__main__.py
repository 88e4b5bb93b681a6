"""``python -m stripe_dbapi``: the ``stripe-sql`` shell."""

from stripe_dbapi.shell import main

raise SystemExit(main())
