"""Bring your own data (issue 7): read, check and store a user's own indicator table.

Pure Python (pandas, openpyxl, duckdb through healthgap.store); never imports streamlit, so the
upload page and the `healthgap data add` command share the same checks.

- `spec`: the template columns, HEAT Plus / Dutch header aliases, template files.
- `read`: bytes -> table of strings (`read_table`), whole-file problems raise `UploadError`.
- `validate`: row checks against the known areas and indicators -> `Validation`.
- `userdb`: the separate user database (`add_to_user_db`), written atomically.
"""
