"""Intake: untrusted bytes in, a typed Dataset and its issues out.

Owns the reader's sandbox, the screening of a file's structure, reading, the forgiving parse of one cell
(`values`), cleaning a sheet into typed columns, 单位信息, the rule for a workbook that names no unit, and the
issues said in Chinese with the place to fix them.

May import: contract.
"""
