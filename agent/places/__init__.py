"""Places: link location names, states and demonyms to a shipped gazetteer."""
