"""The ``tomoshibi`` command: no sub-command opens the desktop app, sub-commands are the CLI."""
