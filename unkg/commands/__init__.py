"""CLI commands, one module per area; each defines `register(app)`. See `unkg.cli`."""
