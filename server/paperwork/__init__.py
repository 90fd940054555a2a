"""The papers of a one-stop center in the administrative format of Decree 30/2020/NĐ-CP: the
counter's forms and the leader's report, as A4 pages and DOCX.

Read-only over the database but for the letterhead an admin edits (letterhead.py). The
content of each paper is plain data, rendered twice: by an HTML template (the A4 page the
browser prints) and by python-docx (docx_layout.py), which only this package imports.
"""
