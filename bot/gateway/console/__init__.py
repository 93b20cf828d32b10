"""The agent console: a JSON API sub-application under /api with its own auth middleware."""
