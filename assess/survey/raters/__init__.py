"""Raters, write side: invitations with their links, ratings, declining and erasing (issue 29).

The rules (who counts, when colleagues are shown, the gap) live in assess/engine/raters.py;
what a participant sees of the ratings is read in assess/reports/raters/.
"""
