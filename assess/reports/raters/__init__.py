"""Raters, read side: the colleagues' frozen releases and the participant's self / manager /
colleagues figures per scale with the self–other gap (issue 29). No request objects."""
