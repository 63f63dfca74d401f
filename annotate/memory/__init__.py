"""Desk memory (issue 13): search, claim matching ("Checked before"), claimants.

Pure modules (no database): language, claimants, matching, thresholds.
Database modules: search (PostgreSQL full text, SQLite fallback), similar (candidates
and decisions), appearances (ClaimReview, W3C, public page), claimant_pages.
"""
