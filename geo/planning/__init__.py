"""Campaign planning: which team holds which meeting, on which day, in what order."""
