"""Pure SVG renderers: journey model in, SVG text out."""
