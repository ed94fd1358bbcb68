"""The documents of the procedure as PDF (ReportLab) and the e-mails that carry them.

Plain data in, bytes or an ``EmailMessage`` out: no Qt, no database.
"""
