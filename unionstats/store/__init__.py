"""The store: SQLAlchemy tables and Alembic migrations, batches with history, accounts and the audit trail.

Owns what is kept and who may change it: importing a Dataset as a batch, replacing a period, deleting and
restoring, the 单位名录, the sample's place beside real data, roles, sign-in throttling, the audit trail, and the
columnar copy of the rows on the local disk that lets a new process start in seconds.

May import: contract, intake, compliance.
"""
