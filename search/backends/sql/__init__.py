"""The SQL shared by the SQLite and PostgreSQL backends.

:mod:`.connection` (Django's connection or a raw sqlite3 one), :mod:`.rows` (a document as passage rows),
:mod:`.where` (the declared filters and the access scope as SQL), :mod:`.rerank` (candidates and their
order), :mod:`.backend` (:class:`~search.backends.sql.backend.SqlSearchBackend`, which the vendor backends
extend with term storage and first-stage matching).
"""
