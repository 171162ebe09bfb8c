"""Turn a practice's Markdown articles into a blog, social teasers, slides and feeds."""

__version__ = "0.1.0"
