"""Spreadsheets in and out: every CSV and .xlsx the site writes, and the limits on the ones it reads."""
