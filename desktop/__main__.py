"""``python -m desktop`` opens the app."""

import sys

if __name__ == "__main__":
    from desktop.app import run_app

    sys.exit(run_app(sys.argv))
