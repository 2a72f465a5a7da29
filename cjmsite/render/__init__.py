"""Pages out: the renderer, the theme, whole-site pieces, exports and the search index."""
