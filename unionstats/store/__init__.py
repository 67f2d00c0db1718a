"""The store: SQLAlchemy tables and Alembic migrations, batches with history, accounts and the audit trail.

Owns what is kept and who may change it: importing a Dataset as a batch, replacing a period, deleting and
restoring, the 单位名录, the sample's place beside real data, roles, sign-in throttling and the audit trail.

May import: contract, intake, compliance.
"""
