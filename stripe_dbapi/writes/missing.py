"""SQL semantics for a named object that is not there: no row affected.

``UPDATE customers SET name = 'x' WHERE id = 'cus_gone'`` changes nothing in
SQL rather than failing, so a 404 resource_missing on a per-object call counts
as zero rows instead of an error.
"""

from __future__ import annotations

import functools

from ..exceptions import ProgrammingError


def skip_missing(call):
    @functools.wraps(call)
    def wrapper(job):
        try:
            return call(job)
        except ProgrammingError as error:
            if error.http_status == 404 and error.code in (None, "resource_missing"):
                return None
            raise

    return wrapper
