"""Live preview for `cjmsite serve`: HTTP server, file watcher, reload client."""
