"""cjmsite: customer journey maps from Markdown + YAML, published as a static site."""

__version__ = "0.1.0"
