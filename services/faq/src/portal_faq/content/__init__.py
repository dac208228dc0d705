"""Categories, articles, their translations, revisions and votes."""
