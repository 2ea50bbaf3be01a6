"""Entry point of the frozen (PyInstaller) app: the same ``tomoshibi`` command as the installed one.

``multiprocessing.freeze_support()`` must run before anything else: the engine runs llama.cpp in a
"spawn" child process, which in a frozen app is this same executable started again with
multiprocessing's own arguments; freeze_support turns that start into the child and never returns.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from cli.main import main

    sys.exit(main())
