"""The site as pages: what each page kind is, and the indexes pages read."""
