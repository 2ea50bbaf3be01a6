"""Start the desktop app: QApplication, language, settings, the main window; the model loads behind it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

# Set when the process started, to measure time to an interactive window (TOMOSHIBI_STARTUP_PROBE).
_T0 = time.time()


def run_app(argv: Sequence[str] | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from models.stale_files import remove_stale_temporaries

    from . import i18n, theme
    from .help_menu import start_file_log
    from .main_window import MainWindow
    from .settings import AppSettings

    remove_stale_temporaries()  # what a killed conversion or save left behind (issue 20)
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("Tomoshibi")
    app.setApplicationDisplayName("Tomoshibi")
    app.setOrganizationName("Tomoshibi")
    settings = AppSettings()
    start_file_log()
    i18n.apply_language(settings.language)
    theme.apply_theme(settings.theme, app)
    window = MainWindow(settings)
    window.show()
    window.start()
    probe = os.environ.get("TOMOSHIBI_STARTUP_PROBE")
    if probe:
        # A zero timer fires once the event loop has processed everything queued by show().
        def report() -> None:
            # wall-clock seconds since the process started, and CPU seconds the GUI thread used
            now = time.time()
            print(
                f"tomoshibi-startup-ready {now:.3f} {_process_age():.3f} {time.thread_time():.3f}",
                file=sys.stderr,
                flush=True,
            )
            if probe == "quit":
                window.close()

        QTimer.singleShot(0, report)
    return int(app.exec())


def _process_age() -> float:
    """Seconds since this process started (Linux: exact to a clock tick; elsewhere psutil)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of proc(5), counted after the command name
        return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        try:
            import psutil

            return time.time() - float(psutil.Process().create_time())
        except Exception:
            return time.time() - _T0
